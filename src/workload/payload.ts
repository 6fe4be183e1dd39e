/**
 * A message carries its history value, then padding up to the requested size: `p0-000041|....`.
 * The read-back takes everything before the first '|' as the value.
 */
export const PAYLOAD_SEPARATOR = '|';

export function encodePayload(value: string, sizeBytes: number): Buffer {
  const head = value + PAYLOAD_SEPARATOR;
  const length = Math.max(Buffer.byteLength(head), sizeBytes);
  const buffer = Buffer.alloc(length, 0x2e);
  buffer.write(head, 0, 'utf8');
  return buffer;
}

export function decodePayloadValue(payload: Buffer | null | undefined): string {
  if (!payload) return '';
  const end = payload.indexOf(0x7c);
  return payload.toString('utf8', 0, end < 0 ? payload.length : end);
}
