import { isJobEvent } from '../history/job-event.js';
import { isConsumerEvent, type EventRecord, type JournalRecord, type MetaRecord, type OpRecord, type SampleRecord } from '../history/operation.js';
import { F_READ, F_SEND, TYPE_FAIL, TYPE_INFO, TYPE_INVOKE, TYPE_OK, type OpLineView } from '../history/op-line-fast.js';
import type { Checker } from './checker.js';
import { decideVerdict, exactEvidence, exactWarnings, findReordered, partitionCounts, pickSampled, tallyValues, type SampledWatermarks } from './exact-result.js';
import { ReadBackEvidence } from './read-back-evidence.js';
import { OUTCOME_FAIL, OUTCOME_INFO, OUTCOME_OK, READ_MANY, READ_NONE, READ_ONCE, ValueStore } from './value-store.js';
import type { CheckCounts, ExactVerdict } from './verdict.js';

export interface ExactCheckerOptions {
  /** At-least-once delivery: report duplicates but do not fail the verdict for them. Default false. */
  allowDuplicates?: boolean;
  /** Only samples of this topic count; default: the meta line's topic, else every sample. */
  topic?: string;
  /** Bound on fault events kept for the report. Default 10,000. */
  maxEvents?: number;
}

interface PartitionTally {
  readBack: number;
}

/** Bound on distinct topics whose samples are kept. */
const MAX_SAMPLED_TOPICS = 64;

const TYPE_CODE: Record<OpRecord['type'], number> = { invoke: TYPE_INVOKE, ok: TYPE_OK, fail: TYPE_FAIL, info: TYPE_INFO };

/**
 * The exact checker for a produce-then-read-back history: feed every journal record with `add`
 * (or `addOpView` from the reader's fast lane), then call `result()`. Order of records does not matter.
 * Time is linear in the records; memory is proportional to the number of distinct values
 * (see docs/checker.md for the exact definitions).
 */
export class ExactChecker implements Checker<ExactVerdict> {
  readonly name = 'exact' as const;
  private readonly store = new ValueStore();
  private readonly options: ExactCheckerOptions;
  private readonly partitions = new Map<number, PartitionTally>();
  private readonly faults: EventRecord[] = [];
  private readonly highWatermarks = new Map<string, SampledWatermarks>();
  private meta: MetaRecord | null = null;
  private records = 0;
  private readRecords = 0;
  private rereads = 0;
  private events = 0;
  private samples = 0;
  /** Queue records (the queue checker's): a history of only these is not this checker's to judge. */
  private queueRecords = 0;
  /** A pipeline run's out / out-end records (the pipeline checker's): with no read-back, its sends are not this checker's. */
  private pipelineRecords = 0;
  /** The meta has a `pipeline` object: every op is the pipeline checker's, this checker keeps nothing. */
  private pipelineRun = false;
  private readonly readBack = new ReadBackEvidence();

  constructor(options: ExactCheckerOptions = {}) {
    this.options = options;
  }

  add(record: JournalRecord): void {
    this.records++;
    switch (record.kind) {
      case 'op': {
        if (this.pipelineRun) return;
        // Consume ops (a consumer group's) are not a read-back: the consumer checker reads them.
        if (record.f === 'send') {
          this.send(this.store.slotOf(record.value), TYPE_CODE[record.type], record.partition ?? -1, record.offset ?? -1);
        } else if (record.f === 'read') {
          // consume ops (a consumer group's receipts) are the consumer checker's, not a read-back.
          this.read(record.type === 'ok' ? this.store.slotOf(record.value) : -1, TYPE_CODE[record.type], record.partition ?? -1, record.offset ?? -1, record);
        }
        return;
      }
      case 'event':
        // The consumer workload's and the job harness's own events are not nemesis events.
        if (isConsumerEvent(record.event) || isJobEvent(record.event)) return;
        this.events++;
        if (this.faults.length < (this.options.maxEvents ?? 10_000)) this.faults.push(record);
        return;
      case 'sample':
        this.samples++;
        this.sample(record);
        return;
      case 'meta':
        this.meta ??= record;
        this.pipelineRun = this.meta['pipeline'] !== undefined;
        return;
      case 'read-back':
        this.readBack.noteRecord(record);
        return;
      case 'probe':
        return;
      case 'queue':
        this.queueRecords++;
        return;
      case 'out':
      case 'out-end':
        this.pipelineRecords++;
        return;
    }
  }

  /** Fast lane for out records: only counted (they say the run is a pipeline's). */
  addOutView(): void {
    this.pipelineRecords++;
  }

  /** Fast lane: the same as add(view.toRecord()), without making the record. */
  addOpView(view: OpLineView): void {
    this.records++;
    if (this.pipelineRun || (view.fCode !== F_SEND && view.fCode !== F_READ)) return;
    const isValueOp = view.fCode === F_SEND || view.typeCode === TYPE_OK;
    let slot = -1;
    if (isValueOp) {
      slot = this.store.slotOfBytes(view.buf, view.valueStart, view.valueEnd);
      if (slot < 0) slot = this.store.slotOf(view.valueString());
    }
    if (view.fCode === F_SEND) this.send(slot, view.typeCode, view.partition, view.offset);
    else this.read(slot, view.typeCode, view.partition, view.offset, view);
  }

  private send(slot: number, typeCode: number, partition: number, offset: number): void {
    const s = this.store;
    s.sent[slot] = 1;
    if (typeCode === TYPE_INVOKE) return;
    const outcome = typeCode === TYPE_OK ? OUTCOME_OK : typeCode === TYPE_FAIL ? OUTCOME_FAIL : OUTCOME_INFO;
    // Precedence ok > fail > info: an ok is a promise whatever else was said about the send.
    if (outcome < (s.outcome[slot] as number)) return;
    s.outcome[slot] = outcome;
    if (outcome === OUTCOME_OK) {
      s.ackPartition[slot] = partition;
      s.ackOffset[slot] = offset;
      s.ackWithOffset[slot] = offset >= 0 ? 1 : 0;
    }
  }

  private read(slot: number, typeCode: number, partition: number, offset: number, where: OpRecord | OpLineView): void {
    if (typeCode !== TYPE_OK) {
      if (typeCode === TYPE_INVOKE) this.readBack.noteReadOp();
      else this.readBack.noteReadProblem(readProblem(typeCode, where));
      return;
    }
    this.readBack.noteReadOp();
    this.readRecords++;
    this.tally(partition).readBack++;
    const s = this.store;
    const state = s.readState[slot] as number;
    if (state === READ_NONE) {
      s.readState[slot] = READ_ONCE;
      s.readPartition[slot] = partition;
      s.readOffset[slot] = offset;
      return;
    }
    if (s.readPartition[slot] === partition && s.readOffset[slot] === offset) {
      this.rereads++;
      return;
    }
    let extra = s.extraReads.get(slot);
    if (extra === undefined) {
      extra = [];
      s.extraReads.set(slot, extra);
    }
    for (let k = 0; k < extra.length; k += 2) {
      if (extra[k] === partition && extra[k + 1] === offset) {
        this.rereads++;
        return;
      }
    }
    extra.push(partition, offset);
    s.readState[slot] = READ_MANY;
  }

  private sample(record: SampleRecord): void {
    // Kept per topic: the topic filter (from the meta line) may arrive after a sample.
    let byPartition = this.highWatermarks.get(record.topic);
    if (byPartition === undefined) {
      if (this.highWatermarks.size >= MAX_SAMPLED_TOPICS) return;
      byPartition = new Map();
      this.highWatermarks.set(record.topic, byPartition);
    }
    for (const p of record.partitions) {
      if (p.highWatermark === null) continue;
      const prev = byPartition.get(p.partition);
      byPartition.set(p.partition, { last: p.highWatermark, max: Math.max(prev?.max ?? 0, p.highWatermark) });
    }
  }

  private tally(partition: number): PartitionTally {
    let t = this.partitions.get(partition);
    if (t === undefined) {
      t = { readBack: 0 };
      this.partitions.set(partition, t);
    }
    return t;
  }

  /** The verdict. Can be called more than once; later adds are reflected. */
  result(): ExactVerdict {
    const tally = tallyValues(this.store);
    tally.anomalies.reordered = findReordered(this.store);
    const counts: CheckCounts = { records: this.records, ...tally.counts, readBack: this.readRecords, rereads: this.rereads, events: this.events, samples: this.samples };
    const topic = this.options.topic ?? this.meta?.topic;
    const sampled = pickSampled(this.highWatermarks, topic);
    const readByPartition = new Map([...this.partitions].map(([p, t]) => [p, t.readBack]));
    const partitions = partitionCounts(tally.acked, readByPartition, sampled);
    const warnings = exactWarnings({ readProblems: this.readBack.problems, ackedWithoutPartition: tally.ackedWithoutPartition, partitions, samples: this.samples, sampled, topic });
    const { verdict, reasons } = decideVerdict(tally.anomalies, counts.acknowledged, this.readBack, this.options.allowDuplicates === true);
    const meta = this.meta;
    const pipeline = this.pipelineRun || (!this.readBack.any && this.pipelineRecords > 0);
    return {
      checker: 'exact',
      verdict,
      valid: verdict === 'valid' ? true : verdict === 'invalid' ? false : 'unknown',
      evidence: pipeline ? 'a pipeline run: its input sends and output are the pipeline checker\'s' : exactEvidence(counts, this.readBack),
      reasons,
      warnings,
      run: { name: meta?.run ?? null, topic: topic ?? null, acks: meta?.acks ?? null, seed: meta?.seed ?? null },
      counts,
      partitions,
      anomalies: tally.anomalies,
      faults: [...this.faults],
      ...((this.queueRecords > 0 && counts.sent === 0 && counts.readBack === 0) || pipeline ? { applicable: false } : {}),
    };
  }
}

/** A read fail/info, in one sentence for the warnings. */
function readProblem(typeCode: number, where: OpRecord | OpLineView): string {
  const process = 'processString' in where ? where.processString() : where.process;
  const err = 'processString' in where ? '' : where.error !== undefined ? `: ${where.error.message}` : '';
  return `read-back by ${process} ended in ${typeCode === TYPE_FAIL ? 'fail' : 'info'}${err}`;
}
