import { UsageError } from '../errors.js';
import { sendValue } from '../history/operation.js';

/**
 * VerifiableProducer writes the integers 0, 1, 2 … in send order, as `<prefix>.<i>` with
 * --value-prefix or `<i>` without. In our history the same message is `vp<prefix>-<i>` (or `vp-<i>`),
 * zero-padded like `sendValue`: the checker then reads producer and send order from the value, and
 * the read-back maps what it finds in Kafka through the same function, so both sides agree.
 */

/** Process name (and value producer id) of the VerifiableProducer run with `valuePrefix`. */
export function verifiableProducerId(valuePrefix?: number): string {
  if (valuePrefix === undefined) return 'vp';
  checkValuePrefix(valuePrefix);
  return `vp${valuePrefix}`;
}

export function checkValuePrefix(valuePrefix: number): void {
  // Java's Integer; a negative prefix would print '-1.5', which our value format cannot tell apart.
  if (!Number.isSafeInteger(valuePrefix) || valuePrefix < 0 || valuePrefix > 2_147_483_647) {
    throw new UsageError(`value prefix must be a whole number from 0 to 2147483647, got ${valuePrefix}`);
  }
}

/** The string VerifiableProducer writes to Kafka for its `seq`-th message. */
export function verifiableWireValue(seq: number, valuePrefix?: number): string {
  return valuePrefix === undefined ? String(seq) : `${valuePrefix}.${seq}`;
}

export interface VerifiableWireValue {
  /** Undefined when the value has no prefix. */
  readonly valuePrefix: number | undefined;
  readonly seq: number;
}

/** Parses `<prefix>.<i>` or `<i>`; null for anything else (e.g. a value of our own producers). */
export function parseVerifiableWireValue(wire: string): VerifiableWireValue | null {
  const match = /^(?:(0|[1-9]\d{0,9})\.)?(0|[1-9]\d{0,15})$/.exec(wire);
  if (match === null) return null;
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(seq)) return null;
  const prefixText = match[1];
  if (prefixText === undefined) return { valuePrefix: undefined, seq };
  const valuePrefix = Number(prefixText);
  return valuePrefix > 2_147_483_647 ? null : { valuePrefix, seq };
}

/**
 * History value of a value VerifiableProducer wrote (`3.41` → `vp3-000041`), or null when `wire`
 * is not one of its values: a read-back then keeps the raw value (and the checker reports it as unexpected).
 */
export function historyValueOfVerifiableValue(wire: string): string | null {
  const parsed = parseVerifiableWireValue(wire);
  if (parsed === null) return null;
  return sendValue(verifiableProducerId(parsed.valuePrefix), parsed.seq);
}
