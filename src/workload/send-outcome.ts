import type { OpType } from '../history/operation.js';

/**
 * librdkafka delivery errors sorted into Jepsen outcomes: `fail` only when the message certainly was not
 * written, `info` when it may have been. An `info` is never counted as lost.
 */
const DEFINITELY_NOT_WRITTEN = new Map<number, string>([
  [-184, 'ERR__QUEUE_FULL'],
  [-188, 'ERR__UNKNOWN_TOPIC'],
  [-152, 'ERR__PURGE_QUEUE'],
  [3, 'ERR_UNKNOWN_TOPIC_OR_PART'],
  [2, 'ERR_INVALID_MSG'],
  [4, 'ERR_INVALID_MSG_SIZE'],
  [10, 'ERR_MSG_SIZE_TOO_LARGE'],
  [18, 'ERR_RECORD_LIST_TOO_LARGE'],
  [19, 'ERR_NOT_ENOUGH_REPLICAS'],
  [29, 'ERR_TOPIC_AUTHORIZATION_FAILED'],
  [32, 'ERR_INVALID_TIMESTAMP'],
]);

/** Rejected by the leader before it appended: not written, but only when no earlier attempt may have been. */
const REJECTED_BY_LEADER = new Map<number, string>([
  [6, 'ERR_NOT_LEADER_FOR_PARTITION'],
  [56, 'ERR_KAFKA_STORAGE_ERROR'],
]);

export interface SendOutcome {
  readonly type: Exclude<OpType, 'invoke' | 'ok'>;
  readonly codeName: string;
}

/** With retries > 0 an earlier attempt may have been appended, so a final rejection is only `info`. */
export function classifyDeliveryError(code: number, retriesConfigured: boolean): SendOutcome {
  const definite = DEFINITELY_NOT_WRITTEN.get(code);
  if (definite) return { type: code === 19 && retriesConfigured ? 'info' : 'fail', codeName: definite };
  const rejected = REJECTED_BY_LEADER.get(code);
  if (rejected) return { type: retriesConfigured ? 'info' : 'fail', codeName: rejected };
  const names: Record<number, string> = {
    [-192]: 'ERR__MSG_TIMED_OUT',
    [-195]: 'ERR__TRANSPORT',
    [-151]: 'ERR__PURGE_INFLIGHT',
    [7]: 'ERR_REQUEST_TIMED_OUT',
    [13]: 'ERR_NETWORK_EXCEPTION',
    [20]: 'ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    [-187]: 'ERR__ALL_BROKERS_DOWN',
  };
  return { type: 'info', codeName: names[code] ?? `code ${code}` };
}
