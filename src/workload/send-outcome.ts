import type { OpType } from '../history/operation.js';

/**
 * librdkafka delivery errors sorted into Jepsen outcomes: `fail` only when the message certainly was not
 * written, `info` when it may have been. An `info` is never counted as lost.
 */
/** Errors raised before the message ever left the client: never written, whatever the retries. */
const NEVER_SENT = new Map<number, string>([
  [-184, 'ERR__QUEUE_FULL'],
  [-152, 'ERR__PURGE_QUEUE'],
  [4, 'ERR_INVALID_MSG_SIZE'],
  [10, 'ERR_MSG_SIZE_TOO_LARGE'],
  [18, 'ERR_RECORD_LIST_TOO_LARGE'],
]);

/**
 * Rejected by the broker (or the client's metadata) without appending. Definite only when this was the
 * one and only attempt: with retries an earlier attempt may have timed out yet been appended.
 */
const REJECTED_WITHOUT_APPEND = new Map<number, string>([
  [-188, 'ERR__UNKNOWN_TOPIC'],
  [2, 'ERR_INVALID_MSG'],
  [3, 'ERR_UNKNOWN_TOPIC_OR_PART'],
  [6, 'ERR_NOT_LEADER_FOR_PARTITION'],
  [19, 'ERR_NOT_ENOUGH_REPLICAS'],
  [29, 'ERR_TOPIC_AUTHORIZATION_FAILED'],
  [32, 'ERR_INVALID_TIMESTAMP'],
  [56, 'ERR_KAFKA_STORAGE_ERROR'],
]);

const MAYBE_WRITTEN: Readonly<Record<number, string>> = {
  [-192]: 'ERR__MSG_TIMED_OUT',
  [-195]: 'ERR__TRANSPORT',
  [-151]: 'ERR__PURGE_INFLIGHT',
  [-187]: 'ERR__ALL_BROKERS_DOWN',
  [7]: 'ERR_REQUEST_TIMED_OUT',
  [13]: 'ERR_NETWORK_EXCEPTION',
  [20]: 'ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND',
};

export interface SendOutcome {
  readonly type: Exclude<OpType, 'invoke' | 'ok'>;
  readonly codeName: string;
}

/** `fail` only when the message certainly was not written; anything else is `info` (never counted lost). */
export function classifyDeliveryError(code: number, retriesConfigured: boolean): SendOutcome {
  const neverSent = NEVER_SENT.get(code);
  if (neverSent) return { type: 'fail', codeName: neverSent };
  const rejected = REJECTED_WITHOUT_APPEND.get(code);
  if (rejected) return { type: retriesConfigured ? 'info' : 'fail', codeName: rejected };
  return { type: 'info', codeName: MAYBE_WRITTEN[code] ?? `code ${code}` };
}

/** Whether the producer may retry: our option, or a retries key in the extra librdkafka settings. */
export function retriesConfigured(retries: number | undefined, extra?: Readonly<Record<string, string | number | boolean>>): boolean {
  const fromExtra = extra?.['message.send.max.retries'] ?? extra?.['retries'];
  const effective = fromExtra !== undefined ? Number(fromExtra) : retries;
  return effective === undefined || effective > 0;
}
