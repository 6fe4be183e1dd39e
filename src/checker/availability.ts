import type { JournalRecord, OpRecord } from '../history/operation.js';
import { F_SEND, TYPE_INVOKE, TYPE_OK, type OpLineView } from '../history/op-line-fast.js';
import { countText, type Checker, type CheckerResult } from './checker.js';
import { opViewTimeMs } from './op-view-time.js';

/**
 * How long the system stopped acknowledging writes, from the history alone: the longest stretch of the
 * workload with no acknowledgement (including a tail where every later send failed or timed out), and
 * per fault how long until a write *sent after the fault started* was acknowledged (the client-visible
 * recovery time).
 *
 * Informational: it measures, it asserts no promise, so it is never `false`. `valid` is `true` when it had
 * sends to measure, `'unknown'` when it had none (nothing to rest a verdict on).
 */
export interface AvailabilityVerdict extends CheckerResult {
  readonly checker: 'availability';
  readonly valid: true | 'unknown';
  readonly acknowledged: number;
  /** Longest time without an acknowledgement between the first send and the last send's completion; null without sends. */
  readonly longestGapMs: number | null;
  /** Run-clock time at which that gap began. */
  readonly gapStartMs: number | null;
  /** Per fault id: ms from the fault's start to the acknowledgement of the first write sent after it; null if none was. */
  readonly recoveryMs: Record<string, number | null>;
}

/** Streaming: feed records in journal order. Memory: one entry per send invoked while some fault awaits its recovery. */
export class AvailabilityChecker implements Checker<AvailabilityVerdict> {
  readonly name = 'availability' as const;
  private acknowledged = 0;
  private queueRecords = 0;
  private firstSendMs: number | null = null;
  private lastSendActivityMs: number | null = null;
  private lastAckMs: number | null = null;
  private longestGapMs = -1;
  private gapStartMs: number | null = null;
  private readonly faultStarts: [string, number][] = [];
  private readonly recovery = new Map<string, number | null>();
  /** Sends invoked while a fault awaits its recovery, by value; emptied when none awaits. */
  private readonly invokedAfterFault = new Map<string, number>();
  private unrecovered = 0;

  add(record: JournalRecord): void {
    if (record.kind === 'event' && record.event === 'fault-start' && record.faultId) {
      this.faultStarts.push([record.faultId, record.timeMs]);
      if (this.recovery.get(record.faultId) !== null) this.unrecovered++;
      this.recovery.set(record.faultId, null);
      return;
    }
    if (record.kind === 'queue') this.queueRecords++;
    if (record.kind !== 'op' || record.f !== 'send') return;
    this.send(record.type === 'invoke' ? TYPE_INVOKE : record.type === 'ok' ? TYPE_OK : -1, record.timeMs, record);
  }

  /** Fast lane: the same as add(view.toRecord()); the value is decoded only while a fault awaits recovery. */
  addOpView(view: OpLineView): void {
    if (view.fCode !== F_SEND) return;
    this.send(view.typeCode, opViewTimeMs(view), view);
  }

  private send(typeCode: number, t: number, source: OpRecord | OpLineView): void {
    this.firstSendMs ??= t;
    this.lastSendActivityMs = Math.max(this.lastSendActivityMs ?? t, t);
    if (typeCode === TYPE_INVOKE) {
      if (this.unrecovered > 0) this.invokedAfterFault.set(valueOf(source), t);
      return;
    }
    if (typeCode !== TYPE_OK) return;
    this.acknowledged++;
    this.noteGap(this.lastAckMs ?? this.firstSendMs, t);
    this.lastAckMs = Math.max(this.lastAckMs ?? t, t);
    if (this.invokedAfterFault.size > 0) this.noteRecovery(valueOf(source), t);
  }

  private noteRecovery(value: string, t: number): void {
    const invokedAt = this.invokedAfterFault.get(value);
    if (invokedAt === undefined) return;
    this.invokedAfterFault.delete(value);
    for (const [id, start] of this.faultStarts) {
      if (this.recovery.get(id) !== null || invokedAt < start) continue;
      this.recovery.set(id, t - start);
      this.unrecovered--;
    }
    // Sends invoked so far can only recover faults already recovered: a later fault needs later sends.
    if (this.unrecovered === 0) this.invokedAfterFault.clear();
  }

  private noteGap(fromMs: number, toMs: number): void {
    if (toMs - fromMs > this.longestGapMs) {
      this.longestGapMs = toMs - fromMs;
      this.gapStartMs = fromMs;
    }
  }

  /** The fast lane drops out records without making them. */
  addOutView(): void {
    // Out records (a pipeline's) are not this checker's.
  }

  result(): AvailabilityVerdict {
    if (this.firstSendMs !== null && this.lastSendActivityMs !== null) this.noteGap(this.lastAckMs ?? this.firstSendMs, this.lastSendActivityMs);
    const longestGapMs = this.firstSendMs === null ? null : Math.round(Math.max(0, this.longestGapMs));
    const recoveryMs = Object.fromEntries([...this.recovery].map(([id, ms]) => [id, ms === null ? null : Math.round(ms)]));
    const measured = this.firstSendMs !== null;
    return {
      checker: 'availability',
      valid: measured ? true : 'unknown',
      evidence: availabilityEvidence(this.acknowledged, longestGapMs, recoveryMs),
      reasons: measured ? [] : ['no sends in the history: nothing to measure'],
      acknowledged: this.acknowledged,
      longestGapMs,
      gapStartMs: this.gapStartMs === null ? null : Math.round(this.gapStartMs),
      recoveryMs,
      // A queue history's sends are the queue checker's: with no produce sends this checker has nothing to say.
      ...(!measured && this.queueRecords > 0 ? { applicable: false } : {}),
    };
  }
}

function valueOf(source: OpRecord | OpLineView): string {
  return 'valueString' in source ? source.valueString() : source.value;
}

function availabilityEvidence(acknowledged: number, longestGapMs: number | null, recoveryMs: Record<string, number | null>): string {
  if (longestGapMs === null) return 'no sends: nothing to measure';
  const faults = Object.values(recoveryMs);
  const recovered = faults.filter((ms) => ms !== null).length;
  const faultText = faults.length === 0 ? 'no faults' : `writes acknowledged again after ${recovered} of ${countText(faults.length, 'fault')}`;
  return `${countText(acknowledged, 'write')} acknowledged; longest time without one ${(longestGapMs / 1000).toFixed(1)} s; ${faultText}`;
}

export function checkAvailability(records: Iterable<JournalRecord>): AvailabilityVerdict {
  const checker = new AvailabilityChecker();
  for (const record of records) checker.add(record);
  return checker.result();
}
