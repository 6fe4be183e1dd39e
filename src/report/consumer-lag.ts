/**
 * Consumer lag from the journal itself: how many acknowledged sends the consumer group has not received yet
 * (no `consume` ok of their value so far). Fed in journal order; memory is one entry per acknowledged value not
 * yet consumed (the lag itself) plus the values consumed before their send was acknowledged (a consumer can see
 * a record before the producer sees its acknowledgement), dropped when that send completes.
 */
export class ConsumerLagTracker {
  /** Acknowledged, not consumed yet. */
  private readonly pending = new Set<string>();
  /** Consumed while the send was still in flight: its ok must not count as lag. */
  private readonly consumedEarly = new Set<string>();

  /** The current lag: acknowledged values not consumed. */
  get lag(): number {
    return this.pending.size;
  }

  /** A send of `value` completed: acknowledged (`ok`) or failed/unknown. */
  sendCompleted(value: string, ok: boolean): void {
    if (this.consumedEarly.delete(value) || !ok) return;
    this.pending.add(value);
  }

  /** A member received `value`; `inFlight`: its send was invoked and has not completed yet. */
  consumed(value: string, inFlight: boolean): void {
    if (this.pending.delete(value)) return;
    // A duplicate receive, or a value this journal never sent: no lag either way.
    if (inFlight) this.consumedEarly.add(value);
  }
}
