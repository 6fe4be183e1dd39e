import type { OpError } from '../history/operation.js';

/**
 * Error codes that say a transactional producer was fenced (a newer producer with its transactional id, or
 * the coordinator after a transaction timeout, bumped its epoch): librdkafka's local `_FENCED` (-144), the
 * broker's INVALID_PRODUCER_EPOCH (47) and PRODUCER_FENCED (90). Not 52/74/82/110: those fence coordinators,
 * leaders and group members, not producers.
 */
const FENCING_CODES: ReadonlySet<number> = new Set([-144, 47, 90]);
/** Error names (librdkafka's `ERR_...`, the Java client's exception names) of the same errors. */
const FENCING_NAME = /^(ERR__FENCED|(ERR_)?PRODUCER_FENCED|(ERR_)?INVALID_PRODUCER_EPOCH|(org\.apache\.kafka\.common\.errors\.)?(ProducerFencedException|InvalidProducerEpochException))$/;
/** librdkafka's messages of -144 and the Java exception names inside a message. */
const FENCING_MESSAGE = /producer fenced|fenced by a newer instance|ProducerFencedException|InvalidProducerEpochException/i;

/** Whether an op's error says its producer was fenced. */
export function isProducerFencedError(error: OpError | undefined): boolean {
  if (error === undefined) return false;
  if (typeof error.code === 'number' ? FENCING_CODES.has(error.code) : FENCING_NAME.test(error.code)) return true;
  return FENCING_MESSAGE.test(error.message);
}
