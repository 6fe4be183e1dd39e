import { JOB_PROGRESS_EVENT } from '../history/job-event.js';
import { F_SEND, TYPE_FAIL, TYPE_INFO, TYPE_INVOKE, TYPE_OK, type OpLineView } from '../history/op-line-fast.js';
import type { JournalRecord } from '../history/operation.js';
import { OUT_READER_LIVE } from '../history/output-record.js';
import { PIPELINE_INPUT_PROCESS, pipelineEventTimeMs, pipelineInputKey, pipelineMetaOf, type PipelineWindowsMeta } from '../history/pipeline-meta.js';
import type { Checker } from './checker.js';
import { bytesEqual, parsed, parseIdBytes, parseIdText } from './pipeline-values.js';
import { checkWindows } from './window-check.js';
import type { WindowEvent, WindowResult, WindowVerdict } from './window-types.js';

const INPUT_PROCESS = new Uint8Array(Buffer.from(PIPELINE_INPUT_PROCESS, 'utf8'));
/** The query whose watermark the window results follow (the Spark reference job's `windows`). */
const WINDOWS_QUERY = 'windows';

/** Outcome of an input send, by id: invoked, acknowledged, unknown (info), failed. */
const INVOKED = 1;
const ACKED = 2;
const UNKNOWN = 3;
const FAILED = 4;

/**
 * The window checker over a pipeline run's journal (docs/pipelines.md, "Windows and watermarks"): the meta's
 * `pipeline.windows` gives the results' topic, the window rule and the input's event clock; the input sends (process
 * `in`) give the events (poison ones are not events: the job counts good records only); the `live` (read_committed)
 * reader's records of the windows topic give the results; the highest `watermarkMs` of the job's `job-progress` events
 * for its `windows` query gives the watermark. Not applicable to a run without windows.
 */
export class WindowJournalChecker implements Checker<WindowVerdict> {
  readonly name = 'window' as const;
  private clock: PipelineWindowsMeta | null = null;
  private keys = 0;
  private exactlyOnce = false;
  /** Send outcome by input id (a good id; poison ids are left out). */
  private readonly sends = new Map<number, number>();
  private readonly results: WindowResult[] = [];
  private watermarkMs: number | null = null;

  add(record: JournalRecord): void {
    if (record.kind === 'meta') this.meta(pipelineMetaOf(record));
    else if (this.clock === null) return;
    else if (record.kind === 'op' && record.f === 'send' && record.process === PIPELINE_INPUT_PROCESS) this.send(parseIdText(record.value), record.type === 'invoke' ? TYPE_INVOKE : record.type === 'ok' ? TYPE_OK : record.type === 'fail' ? TYPE_FAIL : TYPE_INFO);
    else if (record.kind === 'out' && record.reader === OUT_READER_LIVE && record.topic === this.clock.topic) this.results.push({ key: record.key ?? '', value: record.value ?? '', partition: record.partition, offset: record.offset });
    else if (record.kind === 'event' && record.event === JOB_PROGRESS_EVENT) this.progress(record.detail);
  }

  /** Fast lane for input sends: the same as add(view.toRecord()). */
  addOpView(view: OpLineView): void {
    if (this.clock === null || view.fCode !== F_SEND || !bytesEqual(view.buf, view.processStart, view.processEnd, INPUT_PROCESS)) return;
    this.send(parseIdBytes(view.buf, view.valueStart, view.valueEnd), view.typeCode);
  }

  result(): WindowVerdict {
    if (this.clock === null) {
      const none = checkWindows({ events: [], results: [], rules: { sizeMs: 1, latenessMs: 0 }, watermarkMs: null, sinkExactlyOnce: false });
      return { ...none, applicable: false, evidence: 'no windows in the pipeline meta: nothing to check', reasons: [] };
    }
    const clock = this.clock;
    const events: WindowEvent[] = [];
    for (const [id, outcome] of this.sends) {
      if (outcome !== ACKED && outcome !== UNKNOWN && outcome !== INVOKED) continue;
      events.push({ id, key: pipelineInputKey(id, this.keys), eventTimeMs: pipelineEventTimeMs(id, clock), acked: outcome === ACKED ? 'ok' : 'unknown' });
    }
    return checkWindows({ events, results: this.results, rules: { sizeMs: clock.sizeMs, latenessMs: clock.latenessMs }, watermarkMs: this.watermarkMs, sinkExactlyOnce: this.exactlyOnce });
  }

  private meta(meta: ReturnType<typeof pipelineMetaOf>): void {
    if (meta === null || typeof meta === 'string' || meta.windows === undefined) return;
    this.clock = meta.windows;
    this.keys = meta.keys ?? 0;
    this.exactlyOnce = meta.guarantee === 'exactly-once';
  }

  private send(id: number, typeCode: number): void {
    if (id < 0 || parsed.poison || this.keys === 0) return;
    const next = typeCode === TYPE_INVOKE ? INVOKED : typeCode === TYPE_OK ? ACKED : typeCode === TYPE_FAIL ? FAILED : UNKNOWN;
    // An ok or a fail is final; an info after an invoke leaves the send unknown.
    if (next === INVOKED && this.sends.has(id)) return;
    this.sends.set(id, next);
  }

  private progress(detail: Record<string, unknown> | undefined): void {
    const watermark = detail?.['watermarkMs'];
    if (detail?.['query'] !== WINDOWS_QUERY || typeof watermark !== 'number' || !Number.isFinite(watermark)) return;
    this.watermarkMs = Math.max(this.watermarkMs ?? watermark, watermark);
  }
}
