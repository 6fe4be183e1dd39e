import { withAdmin, type PartitionOffsets } from '../kafka/admin.js';
import { CONSUMER_DRAINED_EVENT, CONSUMER_ERROR_EVENT, type ConsumerDrainedDetail } from '../history/operation.js';
import { sleep } from '../util/time.js';
import { DEFAULT_COMMIT_TIMEOUT_MS, DEFAULT_CONSUMER_DURATION_MS, DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_POLL_RECORDS, DEFAULT_SESSION_TIMEOUT_MS, validateConsumerGroupOptions, type ConsumerLimitsInput } from './consumer-limits.js';
import { ConsumerMember, POLL_TIMEOUT_MS, type MemberContext } from './consumer-member.js';
import type { OpSink } from './op-sink.js';
import { decodePayloadValue } from './payload.js';

export interface ConsumerGroupOptions extends ConsumerLimitsInput {
  readonly bootstrap: string;
  /** Where consume ops and rebalance/drained events go (the run). */
  readonly sink: OpSink;
  /** Maps a record's payload to its history value (default: the producers' payload format); null skips it. */
  readonly decodeValue?: (payload: Buffer | null | undefined) => string | null;
  /** More librdkafka consumer settings (they win over faultline's). */
  readonly extraConfig?: Readonly<Record<string, string | number | boolean>>;
}

export interface ConsumerGroupProgress {
  /** Records received by the whole group (duplicates included). */
  readonly received: number;
  readonly perMember: Record<string, number>;
  /** Run-clock time of each member's last receive; null before its first. */
  readonly lastReceiveMs: Record<string, number | null>;
}

export interface ConsumerGroupSummary extends ConsumerGroupProgress {
  readonly group: string;
  readonly topic: string;
  readonly rebalances: number;
  readonly commits: number;
  readonly commitFailures: number;
  /** Poll, commit and client errors (the first MAX_ERROR_EVENTS are in the journal as consumer-error events). */
  readonly errors: number;
  /** What the consumer-drained event says. */
  readonly drained: ConsumerDrainedDetail;
  /** 'duration': the group reached durationMs and stopped itself. */
  readonly stoppedBy: 'stop' | 'duration';
  readonly durationMs: number;
}

export interface ConsumerGroupHandle {
  readonly group: string;
  /** Member names: c0, c1, ... */
  readonly members: readonly string[];
  /** Resolves when every member is connected and subscribed; rejects (FaultlineError) when one cannot connect. */
  ready(): Promise<void>;
  progress(): ConsumerGroupProgress;
  /** Run-clock time of the group's last receive (any member); null before the first. For probes. */
  lastReceiveMs(): number | null;
  /** Run-clock time `value` was received (among the last RECENT_VALUES, or within timeoutMs), else null. */
  waitForValue(value: string, timeoutMs: number): Promise<number | null>;
  /** Partitions each member holds now (from its rebalance callbacks). */
  assignments(): Record<string, number[]>;
  /** Drains to the end offsets (at most drainTimeoutMs), commits, closes every member, writes consumer-drained. Idempotent. */
  stop(): Promise<ConsumerGroupSummary>;
}

/** consumer-error events written per group; later errors are only counted. */
export const MAX_ERROR_EVENTS = 200;
/** Recently received values remembered for waitForValue. */
const RECENT_VALUES = 10_000;
/** Bound on reading the end offsets at stop. */
const END_OFFSETS_TIMEOUT_MS = 15_000;
const DRAIN_CHECK_MS = 50;
/** Bound on the members' loops ending after the halt (a poll, then a commit). */
const HALT_MARGIN_MS = 5000;

/**
 * Starts K members (c0..c<K-1>, each its own KafkaConsumer) in one group, subscribed to `topic`. Each
 * record received is a consume `ok` in the journal; each rebalance callback a `rebalance` event. The group
 * runs until `stop()` or `durationMs` (default an hour), then drains and writes a `consumer-drained` event.
 * Throws UsageError for invalid options (see consumerGroupOptionProblems).
 */
export function startConsumerGroup(options: ConsumerGroupOptions): ConsumerGroupHandle {
  validateConsumerGroupOptions(options);
  return new ConsumerGroup(options);
}

class ConsumerGroup implements ConsumerGroupHandle {
  readonly group: string;
  readonly members: readonly string[];
  private readonly options: ConsumerGroupOptions;
  private readonly all: ConsumerMember[];
  private readonly reach = new Map<number, number>();
  private readonly recent = new Map<string, number>();
  private readonly waiters = new Map<string, ((timeMs: number | null) => void)[]>();
  private readonly opened: Promise<PromiseSettledResult<void>[]>;
  private readonly running: Promise<unknown>;
  private readonly startedMs = performance.now();
  private readonly durationTimer: NodeJS.Timeout;
  private halted = false;
  private assignmentsAtHalt: Record<string, number[]> = {};
  private errors = 0;
  private stoppedBy: 'stop' | 'duration' = 'stop';
  private stopping: Promise<ConsumerGroupSummary> | null = null;

  constructor(options: ConsumerGroupOptions) {
    this.options = options;
    this.group = options.group;
    const first = options.firstMemberIndex ?? 0;
    const ctx = this.memberContext();
    this.all = Array.from({ length: options.members }, (_, i) => new ConsumerMember(`c${first + i}`, ctx));
    this.members = this.all.map((m) => m.name);
    this.opened = Promise.allSettled(this.all.map((m) => m.open()));
    this.running = this.opened.then(() => Promise.all(this.all.map((m) => m.run(() => !this.halted))));
    this.durationTimer = setTimeout(() => {
      this.stoppedBy = 'duration';
      void this.stop().catch(() => undefined);
    }, options.durationMs ?? DEFAULT_CONSUMER_DURATION_MS);
  }

  private memberContext(): MemberContext {
    const o = this.options;
    return {
      bootstrap: o.bootstrap,
      topic: o.topic,
      group: o.group,
      commit: o.commit,
      commitTimeoutMs: o.commitTimeoutMs ?? DEFAULT_COMMIT_TIMEOUT_MS,
      sessionTimeoutMs: o.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      pollRecords: o.pollRecords ?? DEFAULT_POLL_RECORDS,
      sink: o.sink,
      decodeValue: o.decodeValue ?? ((payload) => decodePayloadValue(payload)),
      extraConfig: o.extraConfig ?? {},
      received: (_member, value, timeMs) => this.noteReceived(value, timeMs),
      reached: (partition, position) => {
        if (position > (this.reach.get(partition) ?? -1)) this.reach.set(partition, position);
      },
      error: (member, during, error) => this.noteError(member, during, error),
    };
  }

  private noteReceived(value: string, timeMs: number): void {
    this.recent.set(value, timeMs);
    if (this.recent.size > RECENT_VALUES) this.recent.delete(this.recent.keys().next().value as string);
    const waiting = this.waiters.get(value);
    if (waiting === undefined) return;
    this.waiters.delete(value);
    for (const resolve of waiting) resolve(timeMs);
  }

  private noteError(member: string, during: string, error: { code?: unknown; message?: unknown }): void {
    this.errors++;
    if (this.errors > MAX_ERROR_EVENTS || this.halted) return;
    const code = typeof error.code === 'number' || typeof error.code === 'string' ? error.code : null;
    const message = typeof error.message === 'string' ? error.message : String(error.message);
    this.options.sink.append({ kind: 'event', timeMs: this.options.sink.elapsedMs(), event: CONSUMER_ERROR_EVENT, detail: { member, group: this.group, during, code, message } });
  }

  async ready(): Promise<void> {
    const failed = (await this.opened).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  progress(): ConsumerGroupProgress {
    return {
      received: this.all.reduce((sum, m) => sum + m.received, 0),
      perMember: Object.fromEntries(this.all.map((m) => [m.name, m.received])),
      lastReceiveMs: Object.fromEntries(this.all.map((m) => [m.name, m.lastReceiveMs])),
    };
  }

  lastReceiveMs(): number | null {
    let last: number | null = null;
    for (const m of this.all) if (m.lastReceiveMs !== null && (last === null || m.lastReceiveMs > last)) last = m.lastReceiveMs;
    return last;
  }

  waitForValue(value: string, timeoutMs: number): Promise<number | null> {
    const seen = this.recent.get(value);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.halted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(value)?.filter((r) => r !== done) ?? [];
        if (list.length > 0) this.waiters.set(value, list);
        else this.waiters.delete(value);
        resolve(null);
      }, Math.max(0, timeoutMs));
      const done = (timeMs: number | null): void => {
        clearTimeout(timer);
        resolve(timeMs);
      };
      this.waiters.set(value, [...(this.waiters.get(value) ?? []), done]);
    });
  }

  assignments(): Record<string, number[]> {
    return Object.fromEntries(this.all.map((m) => [m.name, [...m.assignment].sort((a, b) => a - b)]));
  }

  stop(): Promise<ConsumerGroupSummary> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<ConsumerGroupSummary> {
    clearTimeout(this.durationTimer);
    await this.opened;
    const ends = await this.endOffsets();
    if (ends.offsets !== null) await this.drainTo(ends.offsets);
    this.halted = true;
    this.assignmentsAtHalt = this.assignments();
    const commitTimeoutMs = this.options.commitTimeoutMs ?? DEFAULT_COMMIT_TIMEOUT_MS;
    await Promise.race([this.running, sleep(POLL_TIMEOUT_MS + commitTimeoutMs + HALT_MARGIN_MS)]);
    await Promise.all(this.all.map((m) => m.close()));
    for (const [, list] of this.waiters) for (const resolve of list) resolve(null);
    this.waiters.clear();
    const drained = this.drainedDetail(ends.offsets, ends.error);
    const sink = this.options.sink;
    sink.append({ kind: 'event', timeMs: sink.elapsedMs(), event: CONSUMER_DRAINED_EVENT, detail: { ...drained } });
    return this.summary(drained);
  }

  private async endOffsets(): Promise<{ offsets: PartitionOffsets[] | null; error?: string }> {
    try {
      return { offsets: await withAdmin(this.options.bootstrap, (admin) => admin.offsets(this.options.topic), END_OFFSETS_TIMEOUT_MS) };
    } catch (error) {
      return { offsets: null, error: `end offsets of ${this.options.topic} could not be read: ${(error as Error).message}` };
    }
  }

  /** Waits until the group's reach covers every end offset, at most drainTimeoutMs. */
  private async drainTo(offsets: readonly PartitionOffsets[]): Promise<void> {
    const deadline = performance.now() + (this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    const behind = (): boolean => offsets.some((p) => (this.reach.get(p.partition) ?? p.logStartOffset) < p.highWatermark);
    while (behind() && performance.now() < deadline) await sleep(DRAIN_CHECK_MS);
  }

  private drainedDetail(offsets: readonly PartitionOffsets[] | null, error: string | undefined): ConsumerDrainedDetail {
    const partitions = (offsets ?? []).map((p) => {
      const position = Math.max(this.reach.get(p.partition) ?? p.logStartOffset, 0);
      return { partition: p.partition, endOffset: p.highWatermark, position, reachedEnd: position >= p.highWatermark };
    });
    const complete = partitions.length > 0 && partitions.every((p) => p.reachedEnd);
    return { group: this.group, topic: this.options.topic, complete, partitions, assignments: this.assignmentsAtHalt, ...(error !== undefined ? { error } : {}) };
  }

  private summary(drained: ConsumerDrainedDetail): ConsumerGroupSummary {
    const sum = (f: (m: ConsumerMember) => number): number => this.all.reduce((total, m) => total + f(m), 0);
    return {
      ...this.progress(),
      group: this.group,
      topic: this.options.topic,
      rebalances: sum((m) => m.rebalances),
      commits: sum((m) => m.commits),
      commitFailures: sum((m) => m.commitFailures),
      errors: this.errors,
      drained,
      stoppedBy: this.stoppedBy,
      durationMs: performance.now() - this.startedMs,
    };
  }
}
