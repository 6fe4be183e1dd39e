import { FaultlineError, UsageError } from '../errors.js';
import type { QueueOffset, QueueOpRecord, QueuePolledPartition, QueueRebalance } from '../history/queue-op.js';
import { IgnoredLines, parseToolJsonLine, RunClock, wholeToolField, type ToolJson } from './tool-json.js';

/**
 * VerifiableConsumer's JSON lines → queue records (docs/peer-clients.md, "VerifiableConsumer"). The tool
 * subscribes, then loops: poll (rebalance callbacks fire inside it), one `record_data` line per record
 * (with --verbose), one `records_consumed` summary, then commitSync of the polled offsets and one
 * `offsets_committed` line. Each poll becomes a `poll` op, each commit a `commit` op, the callbacks the
 * `rebalances` of the poll they fired in.
 */

const TOOL = 'VerifiableConsumer';

export interface VerifiableConsumerConverterOptions {
  /** Wall-clock (epoch ms) of the journal's origin: `Date.now() - journal.elapsedMs()`. */
  readonly runStartEpochMs: number;
  /** The topic the tool consumed (its lines name it; another topic is a misconfigured run). */
  readonly topic: string;
  /** Partitions of the topic (the `subscribe` op lists them). */
  readonly partitions: number;
  /** The process name in the history; default 'vc'. */
  readonly process?: string;
}

export interface VerifiableConsumerSummary {
  readonly process: string;
  /** Run times of startup_complete and shutdown_complete; null when not seen (a killed tool prints no shutdown). */
  readonly startupTimeMs: number | null;
  readonly shutdownTimeMs: number | null;
  readonly polls: number;
  readonly recordsPolled: number;
  readonly commitsOk: number;
  /** Commits the tool reported as failed (`success: false`): recorded as `info`. */
  readonly commitsFailed: number;
  /** Commits of nothing (after an empty poll): not recorded. */
  readonly emptyCommits: number;
  readonly rebalances: number;
  /** Rebalance callbacks after the last poll (the close's revocation): not recorded. */
  readonly closeRebalances: number;
  /** Values that are not integers (not written by our workloads or an unprefixed VerifiableProducer): left out. */
  readonly foreignValues: number;
  /** True when the tool printed no shutdown_complete: the history ends with a `crash`. */
  readonly crashed: boolean;
  readonly ignoredLines: number;
  readonly firstIgnoredLines: readonly string[];
}

/** The records of one poll, as `record_data` lines arrive (before their `records_consumed`). */
interface PendingPoll {
  readonly byPartition: Map<number, [number, number][]>;
  /** Per partition: how many records, lowest and highest offset (foreign values included), to check the summary. */
  readonly seen: Map<number, { count: number; min: number; max: number }>;
}

function emptyPoll(): PendingPoll {
  return { byPartition: new Map(), seen: new Map() };
}

/** Streaming converter for one VerifiableConsumer process: `line()` per stdout line, `finish()` once it exited. */
export class VerifiableConsumerConverter {
  readonly process: string;
  private readonly clock: RunClock;
  private pending = emptyPoll();
  private rebalances: QueueRebalance[] = [];
  /** End of the last op: where the next poll (or commit) began. */
  private lastEndMs = 0;
  private startupTimeMs: number | null = null;
  private shutdownTimeMs: number | null = null;
  private readonly counts = { polls: 0, records: 0, commitsOk: 0, commitsFailed: 0, emptyCommits: 0, rebalances: 0, foreign: 0 };
  private readonly ignored = new IgnoredLines();
  private finished = false;
  private crashed = false;
  private closeRebalances = 0;

  constructor(private readonly options: VerifiableConsumerConverterOptions) {
    if (!Number.isFinite(options.runStartEpochMs)) throw new UsageError('runStartEpochMs must be a number (epoch ms)');
    if (!Number.isSafeInteger(options.partitions) || options.partitions < 1) throw new UsageError(`partitions must be a whole number >= 1, got ${options.partitions}`);
    this.process = options.process ?? 'vc';
    this.clock = new RunClock(options.runStartEpochMs);
  }

  /** Records for one stdout line ([] for lines that complete no operation). */
  line(text: string): QueueOpRecord[] {
    if (this.finished) throw new FaultlineError(`${TOOL} converter: line after finish()`);
    const o = parseToolJsonLine(text);
    if (o === null || typeof o['name'] !== 'string') {
      this.ignored.add(text);
      return [];
    }
    const timeMs = this.clock.at(o['timestamp']);
    switch (o['name']) {
      case 'startup_complete':
        return this.startup(timeMs);
      case 'partitions_assigned':
      case 'partitions_revoked':
        this.rebalance(o, timeMs, text);
        return [];
      case 'record_data':
        this.recordData(o, text);
        return [];
      case 'records_consumed':
        return this.recordsConsumed(o, timeMs, text);
      case 'offsets_committed':
        return this.offsetsCommitted(o, timeMs, text);
      case 'shutdown_requested': // 4.x: printed by the shutdown hook before it wakes the consumer
        return [];
      case 'shutdown_complete':
        this.shutdownTimeMs = timeMs;
        return [];
      default:
        this.ignored.add(text);
        return [];
    }
  }

  /**
   * Closes the history once the tool exited: records printed without their `records_consumed` (the tool was
   * killed mid-poll) become a last poll; no `shutdown_complete` means the consumer never closed: a `crash`.
   */
  finish(): QueueOpRecord[] {
    if (this.finished) return [];
    this.finished = true;
    const out: QueueOpRecord[] = [];
    const timeMs = this.clock.nowMs;
    if (this.pending.seen.size > 0) out.push(...this.pollOp(this.pending, timeMs));
    this.pending = emptyPoll();
    if (this.shutdownTimeMs === null && this.startupTimeMs !== null) {
      this.crashed = true;
      out.push(this.op('info', 'crash', timeMs, this.takeRebalances()));
    }
    this.closeRebalances += this.rebalances.length;
    this.rebalances = [];
    return out;
  }

  summary(): VerifiableConsumerSummary {
    const c = this.counts;
    return {
      process: this.process,
      startupTimeMs: this.startupTimeMs,
      shutdownTimeMs: this.shutdownTimeMs,
      polls: c.polls,
      recordsPolled: c.records,
      commitsOk: c.commitsOk,
      commitsFailed: c.commitsFailed,
      emptyCommits: c.emptyCommits,
      rebalances: c.rebalances,
      closeRebalances: this.closeRebalances,
      foreignValues: c.foreign,
      crashed: this.crashed,
      ignoredLines: this.ignored.count,
      firstIgnoredLines: [...this.ignored.first],
    };
  }

  /** The tool prints startup_complete, then subscribes: one subscribe op for every partition of the topic. */
  private startup(timeMs: number): QueueOpRecord[] {
    if (this.startupTimeMs !== null) throw new FaultlineError(`${TOOL}: a second startup_complete (two tools on one converter?)`);
    this.startupTimeMs = timeMs;
    this.lastEndMs = timeMs;
    const partitions = Array.from({ length: this.options.partitions }, (_, i) => i);
    const fields = { topic: this.options.topic, partitions };
    return [{ ...this.op('invoke', 'subscribe', timeMs), ...fields }, { ...this.op('ok', 'subscribe', timeMs), ...fields }];
  }

  private rebalance(o: ToolJson, timeMs: number, text: string): void {
    const list = o['partitions'];
    if (!Array.isArray(list)) throw new FaultlineError(`${TOOL} ${String(o['name'])} line without a partitions list: ${text}`);
    const partitions = (list as unknown[]).map((p) => this.partitionOf(p, text)).sort((a, b) => a - b);
    const assigned = o['name'] === 'partitions_assigned';
    this.rebalances.push({ timeMs, assigned: assigned ? partitions : [], revoked: assigned ? [] : partitions });
    this.counts.rebalances++;
  }

  private recordData(o: ToolJson, text: string): void {
    this.checkTopic(o['topic'], text);
    const partition = wholeToolField(o, 'partition', TOOL, text);
    const offset = wholeToolField(o, 'offset', TOOL, text);
    const seen = this.pending.seen.get(partition) ?? { count: 0, min: offset, max: offset };
    this.pending.seen.set(partition, { count: seen.count + 1, min: Math.min(seen.min, offset), max: Math.max(seen.max, offset) });
    const value = integerValue(o['value']);
    if (value === null) {
      this.counts.foreign++;
      return;
    }
    const records = this.pending.byPartition.get(partition) ?? [];
    records.push([offset, value]);
    this.pending.byPartition.set(partition, records);
  }

  /** Ends a poll: its records must be exactly those the summary counts (else the tool ran without --verbose). */
  private recordsConsumed(o: ToolJson, timeMs: number, text: string): QueueOpRecord[] {
    const summaries = o['partitions'];
    if (!Array.isArray(summaries)) throw new FaultlineError(`${TOOL} records_consumed line without partitions: ${text}`);
    const expected = new Map<number, { count: number; min: number; max: number }>();
    for (const s of summaries as unknown[]) {
      const entry = (typeof s === 'object' && s !== null ? s : {}) as ToolJson;
      this.checkTopic(entry['topic'], text);
      const partition = wholeToolField(entry, 'partition', TOOL, text);
      expected.set(partition, { count: wholeToolField(entry, 'count', TOOL, text), min: wholeToolField(entry, 'minOffset', TOOL, text), max: wholeToolField(entry, 'maxOffset', TOOL, text) });
    }
    checkSummary(expected, this.pending.seen, text);
    const out = this.pollOp(this.pending, timeMs);
    this.pending = emptyPoll();
    return out;
  }

  private pollOp(poll: PendingPoll, timeMs: number): QueueOpRecord[] {
    const partitions: QueuePolledPartition[] = [...poll.byPartition].sort(([a], [b]) => a - b).map(([partition, records]) => ({ partition, records }));
    const records = partitions.reduce((sum, p) => sum + p.records.length, 0);
    this.counts.polls++;
    this.counts.records += records;
    const invoke: QueueOpRecord = { ...this.op('invoke', 'poll', this.lastEndMs), mops: [{ f: 'poll', partitions: [] }] };
    const ok: QueueOpRecord = { ...this.op('ok', 'poll', timeMs, this.takeRebalances()), mops: [{ f: 'poll', partitions }] };
    this.lastEndMs = timeMs;
    return [invoke, ok];
  }

  /** commitSync began right after the poll's summary line; `success: false` is an unknown outcome (info). */
  private offsetsCommitted(o: ToolJson, timeMs: number, text: string): QueueOpRecord[] {
    const list = o['offsets'];
    if (!Array.isArray(list)) throw new FaultlineError(`${TOOL} offsets_committed line without offsets: ${text}`);
    const offsets: QueueOffset[] = (list as unknown[]).map((e) => {
      const entry = (typeof e === 'object' && e !== null ? e : {}) as ToolJson;
      this.checkTopic(entry['topic'], text);
      return { partition: wholeToolField(entry, 'partition', TOOL, text), offset: wholeToolField(entry, 'offset', TOOL, text) };
    });
    offsets.sort((a, b) => a.partition - b.partition);
    const success = o['success'] === true;
    if (offsets.length === 0 && success) {
      this.counts.emptyCommits++;
      return [];
    }
    const invoke: QueueOpRecord = { ...this.op('invoke', 'commit', this.lastEndMs), offsets };
    const done: QueueOpRecord = { ...this.op(success ? 'ok' : 'info', 'commit', timeMs), offsets };
    if (!success) done.error = { code: 'COMMIT_FAILED', message: typeof o['error'] === 'string' ? o['error'] : 'commit failed' };
    this.counts[success ? 'commitsOk' : 'commitsFailed']++;
    this.lastEndMs = timeMs;
    return [invoke, done];
  }

  private takeRebalances(): QueueRebalance[] {
    const taken = this.rebalances;
    this.rebalances = [];
    return taken;
  }

  private op(type: QueueOpRecord['type'], f: QueueOpRecord['f'], timeMs: number, rebalances: QueueRebalance[] = []): QueueOpRecord {
    const record: QueueOpRecord = { kind: 'queue', type, f, process: this.process, timeMs };
    if (rebalances.length > 0) record.rebalances = rebalances;
    return record;
  }

  private partitionOf(p: unknown, text: string): number {
    const entry = (typeof p === 'object' && p !== null ? p : {}) as ToolJson;
    this.checkTopic(entry['topic'], text);
    return wholeToolField(entry, 'partition', TOOL, text);
  }

  private checkTopic(topic: unknown, text: string): void {
    if (topic !== this.options.topic) throw new FaultlineError(`${TOOL} line for topic ${JSON.stringify(topic)}, expected ${this.options.topic}: ${text}`);
  }
}

/** A value our workloads wrote: a decimal integer string; null for anything else. */
function integerValue(v: unknown): number | null {
  if (typeof v !== 'string' || !/^-?(0|[1-9]\d{0,15})$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

function checkSummary(expected: ReadonlyMap<number, { count: number; min: number; max: number }>, seen: ReadonlyMap<number, { count: number; min: number; max: number }>, text: string): void {
  const total = [...expected.values()].reduce((sum, e) => sum + e.count, 0);
  if (total > 0 && seen.size === 0) throw new FaultlineError(`${TOOL} printed no record_data before records_consumed: run it with --verbose (the history needs the values): ${text}`);
  const partitions = new Set([...expected.keys(), ...seen.keys()]);
  for (const partition of partitions) {
    const e = expected.get(partition);
    const s = seen.get(partition);
    if (e === undefined || s === undefined || !sameRange(e, s)) {
      throw new FaultlineError(`${TOOL} records_consumed does not match its record_data lines for partition ${partition} (summary ${JSON.stringify(e ?? null)}, records ${JSON.stringify(s ?? null)}): ${text}`);
    }
  }
}

function sameRange(a: { count: number; min: number; max: number }, b: { count: number; min: number; max: number }): boolean {
  return a.count === b.count && a.min === b.min && a.max === b.max;
}

/** Pure form: the queue records (and the summary) of a whole VerifiableConsumer stdout, finished. */
export function convertVerifiableConsumerOutput(lines: Iterable<string>, options: VerifiableConsumerConverterOptions): { records: QueueOpRecord[]; summary: VerifiableConsumerSummary } {
  const converter = new VerifiableConsumerConverter(options);
  const records: QueueOpRecord[] = [];
  for (const line of lines) records.push(...converter.line(line));
  records.push(...converter.finish());
  return { records, summary: converter.summary() };
}
