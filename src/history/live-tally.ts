import { ActiveFaults } from './active-faults.js';
import type { EventRecord, JournalRecord, OpRecord, ProbeRecord } from './operation.js';

/** Sends by outcome so far. */
export interface SendCounts {
  readonly invoked: number;
  readonly acked: number;
  readonly failed: number;
  /** Outcome unknown (`info`). */
  readonly unknown: number;
}

/** The last result of one probe. */
export interface LastProbe {
  readonly name: string;
  readonly ok: boolean;
  readonly timeMs: number;
}

/** Bound on the probes remembered (names are unique per experiment; an experiment holds far fewer). */
const MAX_TALLIED_PROBES = 100;
/** Bound on the depth of open steps (repeat nests 3 deep; a little slack). */
const MAX_OPEN_STEPS = 8;

/**
 * What a live run has recorded so far, folded record by record as the Run appends them: send and consume
 * counts, the faults in effect, the last result of each probe and the steps open now (step-start without
 * step-end). Cheap enough for every append; read by progress displays and by on-fault probes.
 */
export class LiveTally {
  readonly faults = new ActiveFaults();
  private sends = { invoked: 0, acked: 0, failed: 0, unknown: 0 };
  private consumedCount = 0;
  private readonly probeResults = new Map<string, LastProbe>();
  private readonly openSteps: string[] = [];

  add(record: JournalRecord): void {
    if (record.kind === 'op') this.op(record);
    else if (record.kind === 'event') this.event(record);
    else if (record.kind === 'probe') this.probe(record);
  }

  get sendCounts(): SendCounts {
    return { ...this.sends };
  }

  /** Records a consumer-group member received (consume ok). */
  get consumed(): number {
    return this.consumedCount;
  }

  /** Last result per probe, the most recent first. */
  lastProbes(): readonly LastProbe[] {
    return [...this.probeResults.values()].sort((a, b) => b.timeMs - a.timeMs);
  }

  /** Names of the steps open now, outermost first. */
  steps(): readonly string[] {
    return [...this.openSteps];
  }

  private op(record: OpRecord): void {
    if (record.f === 'consume') {
      if (record.type === 'ok') this.consumedCount++;
      return;
    }
    if (record.f !== 'send') return;
    if (record.type === 'invoke') this.sends.invoked++;
    else if (record.type === 'ok') this.sends.acked++;
    else if (record.type === 'fail') this.sends.failed++;
    else this.sends.unknown++;
  }

  private event(record: EventRecord): void {
    this.faults.add(record);
    const step = record.detail?.['step'];
    if (typeof step !== 'string') return;
    if (record.event === 'step-start' && this.openSteps.length < MAX_OPEN_STEPS) this.openSteps.push(step);
    if (record.event === 'step-end') {
      const at = this.openSteps.lastIndexOf(step);
      if (at >= 0) this.openSteps.length = at;
    }
  }

  private probe(record: ProbeRecord): void {
    if (this.probeResults.size >= MAX_TALLIED_PROBES && !this.probeResults.has(record.name)) return;
    this.probeResults.set(record.name, { name: record.name, ok: record.ok, timeMs: record.timeMs });
  }
}
