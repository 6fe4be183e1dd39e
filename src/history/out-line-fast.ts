import { CLOSE, literal, matchAt, scanKeyedString, scanned, scanTimeText, scanWhole } from './line-bytes.js';
import type { OutRecord } from './output-record.js';
import { MAX_PARTITION } from './record-validate.js';

/**
 * Fast lane for `out` lines in the canonical key order written by `encodeOutRecord`
 * (`kind,timeMs,reader,topic,partition,offset,key,value`): decoded in place from the bytes. Lines with
 * headers (dead-letter records), null keys or values, escapes or another key order are declined and go
 * through JSON.parse; the parser only has to be right about the lines it accepts.
 */

/** A decoded out line; the reader reuses one view for every line, so read it during the callback only. */
export class OutLineView {
  buf: Buffer = Buffer.alloc(0);
  /** @public Line number in the journal (1-based). */
  lineNumber = 0;
  timeStart = 0;
  timeEnd = 0;
  readerStart = 0;
  readerEnd = 0;
  topicStart = 0;
  topicEnd = 0;
  partition = 0;
  offset = 0;
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueEnd = 0;

  timeMs(): number {
    return Number(this.buf.toString('latin1', this.timeStart, this.timeEnd));
  }
  /** A plain record, independent of the buffer. */
  toRecord(): OutRecord {
    const text = (start: number, end: number): string => this.buf.toString('utf8', start, end);
    return {
      kind: 'out',
      timeMs: this.timeMs(),
      reader: text(this.readerStart, this.readerEnd),
      topic: text(this.topicStart, this.topicEnd),
      partition: this.partition,
      offset: this.offset,
      key: text(this.keyStart, this.keyEnd),
      value: text(this.valueStart, this.valueEnd),
    };
  }
}

const HEAD = literal('{"kind":"out","timeMs":');
const READER_KEY = literal(',"reader":"');
const TOPIC_KEY = literal(',"topic":"');
const PARTITION_KEY = literal(',"partition":');
const OFFSET_KEY = literal(',"offset":');
const KEY_KEY = literal(',"key":"');
const VALUE_KEY = literal(',"value":"');

/** Decodes the out line buf[start, end) into `view`; false when the line is not in the canonical form. */
export function parseOutLineFast(buf: Buffer, start: number, end: number, view: OutLineView): boolean {
  if (!matchAt(buf, start, end, HEAD)) return false;
  const timeStart = start + HEAD.length;
  const timeEnd = scanTimeText(buf, timeStart, end);
  if (timeEnd < 0) return false;
  const readerEnd = scanKeyedString(buf, timeEnd, end, READER_KEY);
  // An empty reader or topic is malformed: the slow lane reports it with its line number.
  if (readerEnd <= scanned.start) return false;
  const readerStart = scanned.start;
  const topicEnd = scanKeyedString(buf, readerEnd + 1, end, TOPIC_KEY);
  if (topicEnd <= scanned.start) return false;
  const topicStart = scanned.start;
  if (!matchAt(buf, topicEnd + 1, end, PARTITION_KEY)) return false;
  const partition = scanWhole(buf, topicEnd + 1 + PARTITION_KEY.length, end);
  if (partition < 0 || partition > MAX_PARTITION || !matchAt(buf, scanned.end, end, OFFSET_KEY)) return false;
  const offset = scanWhole(buf, scanned.end + OFFSET_KEY.length, end);
  if (offset < 0) return false;
  const keyEnd = scanKeyedString(buf, scanned.end, end, KEY_KEY);
  if (keyEnd < 0) return false;
  const keyStart = scanned.start;
  const valueEnd = scanKeyedString(buf, keyEnd + 1, end, VALUE_KEY);
  if (valueEnd < 0 || buf[valueEnd + 1] !== CLOSE || valueEnd + 2 !== end) return false;
  view.buf = buf;
  view.timeStart = timeStart;
  view.timeEnd = timeEnd;
  view.readerStart = readerStart;
  view.readerEnd = readerEnd;
  view.topicStart = topicStart;
  view.topicEnd = topicEnd;
  view.partition = partition;
  view.offset = offset;
  view.keyStart = keyStart;
  view.keyEnd = keyEnd;
  view.valueStart = scanned.start;
  view.valueEnd = valueEnd;
  return true;
}
