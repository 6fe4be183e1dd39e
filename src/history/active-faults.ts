import type { EventRecord } from './operation.js';

/** One fault in effect: a fault-start event without its fault-heal yet. */
export interface ActiveFault {
  readonly id: string;
  /** Fault kind or cluster action, e.g. 'kill', 'partition', 'full-restart'. */
  readonly fault: string;
  readonly target: string;
  /** Run clock of its fault-start. */
  readonly sinceMs: number;
}

/** Bound on the faults tracked at once; a heal registry never holds more than a few dozen. */
export const MAX_ACTIVE_FAULTS = 1000;

/**
 * The faults in effect, folded from a run's events as they arrive (nemesis faults and cluster actions alike:
 * both write fault-start and fault-heal with a faultId). A fault-error leaves a fault in effect (its heal failed).
 * Listeners hear of every change (a start or a heal), synchronously, so waiters can wake at once.
 */
export class ActiveFaults {
  private readonly faults = new Map<string, ActiveFault>();
  private readonly listeners = new Set<() => void>();

  /** Folds one event; other events are ignored. */
  add(event: EventRecord): void {
    const id = event.faultId;
    if (id === undefined) return;
    if (event.event === 'fault-start') {
      if (this.faults.size >= MAX_ACTIVE_FAULTS && !this.faults.has(id)) return;
      this.faults.set(id, { id, fault: event.fault ?? '?', target: event.target ?? '', sinceMs: event.timeMs });
    } else if (event.event === 'fault-heal') {
      if (!this.faults.delete(id)) return;
    } else {
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener only wakes a waiter; its failure must not fail the append that folded the event.
      }
    }
  }

  get count(): number {
    return this.faults.size;
  }

  /** The faults in effect, oldest first. */
  list(): readonly ActiveFault[] {
    return [...this.faults.values()];
  }

  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
