/**
 * How a Java producer's send error maps to a Jepsen outcome: `fail` only when the record was
 * certainly not written, `info` (unknown) otherwise. See docs/peer-clients.md for the table.
 */

export type SendErrorOutcome = 'fail' | 'info';

export interface SendErrorClass {
  readonly outcome: SendErrorOutcome;
  /** Simple class name, e.g. 'TimeoutException'; the history's error code. */
  readonly code: string;
  /** Why this outcome, for reports. */
  readonly reason: string;
}

export interface ClassifyOptions {
  /**
   * The producer's `retries`. VerifiableProducer sets 0 unless its config file overrides it. With
   * retries, a broker's definite "no" may answer a retry whose earlier attempt was written.
   */
  readonly retries?: number;
}

/** Broker answers that mean "not appended", for the attempt they answer. */
const BROKER_REJECTIONS = new Set([
  'NotLeaderOrFollowerException',
  'NotLeaderForPartitionException',
  'NotEnoughReplicasException',
  'UnknownTopicOrPartitionException',
  'InvalidTopicException',
  'RecordTooLargeException',
  'RecordBatchTooLargeException',
  'CorruptRecordException',
  'InvalidRecordException',
  'InvalidTimestampException',
  'InvalidRequiredAcksException',
  'TopicAuthorizationException',
  'ClusterAuthorizationException',
  'UnsupportedVersionException',
  'UnsupportedForMessageFormatException',
]);

/** 'class org.apache.kafka.common.errors.TimeoutException' (Class.toString()) → 'TimeoutException'. */
export function exceptionSimpleName(exception: string): string {
  const name = exception.startsWith('class ') ? exception.slice(6) : exception.startsWith('interface ') ? exception.slice(10) : exception;
  const dot = name.lastIndexOf('.');
  const simple = dot >= 0 ? name.slice(dot + 1) : name;
  const dollar = simple.lastIndexOf('$');
  return (dollar >= 0 ? simple.slice(dollar + 1) : simple).trim() || 'UnknownException';
}

/** Errors raised in the client before the record could reach a broker: definite whatever the retries. */
function neverSent(code: string, message: string): string | undefined {
  if (code === 'TimeoutException' && /not present in metadata after/i.test(message)) return 'metadata never arrived: the record never left the client';
  if (code === 'TimeoutException' && /failed to allocate memory/i.test(message)) return 'no buffer memory within max.block.ms: never queued';
  if (code === 'BufferExhaustedException') return 'no buffer memory: never queued';
  if (code === 'IllegalStateException' && /closed/i.test(message)) return 'send after the producer was closed: never queued';
  if (code === 'SerializationException') return 'serialisation failed: never queued';
  if (code === 'RecordTooLargeException' && /when serialized/i.test(message)) return 'client-side size check: never sent';
  return undefined;
}

/** Classifies one `producer_send_error` (exception class as printed, and its message). */
export function classifySendError(exception: string, message: string | null | undefined, options: ClassifyOptions = {}): SendErrorClass {
  const code = exceptionSimpleName(exception);
  const text = message ?? '';
  const before = neverSent(code, text);
  if (before !== undefined) return { outcome: 'fail', code, reason: before };
  if (BROKER_REJECTIONS.has(code)) {
    if ((options.retries ?? 0) === 0) return { outcome: 'fail', code, reason: 'the broker rejected the only attempt (retries=0)' };
    return { outcome: 'info', code, reason: 'rejected on a retry: an earlier attempt may have been written' };
  }
  if (code === 'TimeoutException') return { outcome: 'info', code, reason: 'delivery or request timed out: may have been written' };
  if (code === 'NotEnoughReplicasAfterAppendException') return { outcome: 'info', code, reason: "appended to the leader's log before the ISR shrank" };
  if (code === 'NetworkException' || code === 'DisconnectException') return { outcome: 'info', code, reason: 'connection lost with the request in flight' };
  return { outcome: 'info', code, reason: 'not known to be definite: treated as unknown' };
}
