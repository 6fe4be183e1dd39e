import type { JournalRecord } from '../history/operation.js';

/**
 * How long the system stopped acknowledging writes, from the history alone: the longest stretch of the
 * workload with no acknowledgement (including a tail where every later send failed or timed out), and
 * per fault how long until a write *sent after the fault started* was acknowledged (the client-visible
 * recovery time).
 */
export interface AvailabilityVerdict {
  readonly acknowledged: number;
  /** Longest time without an acknowledgement between the first send and the last send's completion; null without sends. */
  readonly longestGapMs: number | null;
  /** Run-clock time at which that gap began. */
  readonly gapStartMs: number | null;
  /** Per fault id: ms from the fault's start to the acknowledgement of the first write sent after it; null if none was. */
  readonly recoveryMs: Record<string, number | null>;
}

/** Streaming: feed records in journal order. Memory: one entry per value sent after the first fault. */
export class AvailabilityChecker {
  private acknowledged = 0;
  private firstSendMs: number | null = null;
  private lastSendActivityMs: number | null = null;
  private lastAckMs: number | null = null;
  private longestGapMs = -1;
  private gapStartMs: number | null = null;
  private readonly faultStarts: [string, number][] = [];
  private readonly recovery = new Map<string, number | null>();
  private readonly invokedAfterFault = new Map<string, number>();

  add(record: JournalRecord): void {
    if (record.kind === 'event' && record.event === 'fault-start' && record.faultId) {
      this.faultStarts.push([record.faultId, record.timeMs]);
      this.recovery.set(record.faultId, null);
      return;
    }
    if (record.kind !== 'op' || record.f !== 'send') return;
    const t = record.timeMs;
    this.firstSendMs ??= t;
    this.lastSendActivityMs = Math.max(this.lastSendActivityMs ?? t, t);
    if (record.type === 'invoke') {
      if (this.faultStarts.length > 0) this.invokedAfterFault.set(record.value, t);
      return;
    }
    if (record.type !== 'ok') return;
    this.acknowledged++;
    this.noteGap(this.lastAckMs ?? this.firstSendMs, t);
    this.lastAckMs = Math.max(this.lastAckMs ?? t, t);
    const invokedAt = this.invokedAfterFault.get(record.value);
    if (invokedAt === undefined) return;
    this.invokedAfterFault.delete(record.value);
    for (const [id, start] of this.faultStarts) {
      if (this.recovery.get(id) === null && invokedAt >= start) this.recovery.set(id, t - start);
    }
  }

  private noteGap(fromMs: number, toMs: number): void {
    if (toMs - fromMs > this.longestGapMs) {
      this.longestGapMs = toMs - fromMs;
      this.gapStartMs = fromMs;
    }
  }

  result(): AvailabilityVerdict {
    if (this.firstSendMs !== null && this.lastSendActivityMs !== null) this.noteGap(this.lastAckMs ?? this.firstSendMs, this.lastSendActivityMs);
    return {
      acknowledged: this.acknowledged,
      longestGapMs: this.firstSendMs === null ? null : Math.round(Math.max(0, this.longestGapMs)),
      gapStartMs: this.gapStartMs === null ? null : Math.round(this.gapStartMs),
      recoveryMs: Object.fromEntries([...this.recovery].map(([id, ms]) => [id, ms === null ? null : Math.round(ms)])),
    };
  }
}

export function checkAvailability(records: Iterable<JournalRecord>): AvailabilityVerdict {
  const checker = new AvailabilityChecker();
  for (const record of records) checker.add(record);
  return checker.result();
}
