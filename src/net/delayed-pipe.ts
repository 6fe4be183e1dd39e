import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TokenBucket } from './token-bucket.js';

/** What a pipe asks its proxy for each chunk; read live so `update()` takes effect on the next chunk. */
export interface PipeContext {
  /** Delay for a chunk arriving now (latency + jitter sample, already floored at 0). */
  sampleDelayMs(): number;
  /** The bucket limiting this direction, or undefined for no limit. */
  bucket(): TokenBucket | undefined;
  /** Called with each delivered piece's size (stats). */
  delivered(bytes: number): void;
  /** Bytes queued before the source is paused. */
  maxQueuedBytes: number;
}

interface QueuedChunk {
  chunk: Buffer;
  dueAtMs: number;
}

/** Chunks kept before pausing the source, whatever their size: bounds the queue array as well as its bytes. */
const MAX_QUEUED_CHUNKS = 8192;
/** Pieces written per pump before yielding to the event loop, so one fast pipe cannot starve others. */
const MAX_WRITES_PER_PUMP = 256;

/**
 * One direction of a proxied connection: source → FIFO of (chunk, due time) → destination.
 * Due times never decrease (dueAt = max(previous dueAt, now + delay)), so jitter cannot reorder a stream.
 * Bounded: the source is paused above maxQueuedBytes / MAX_QUEUED_CHUNKS and resumed below half;
 * a destination returning false from write() stops the pump until 'drain'.
 */
export class DelayedPipe {
  private readonly queue: (QueuedChunk | undefined)[] = [];
  private head = 0;
  private queuedBytes = 0;
  private lastDueAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  private sourcePaused = false;
  private sourceEnded = false;
  private ended = false;
  private disposed = false;

  constructor(
    private readonly source: Socket,
    private readonly destination: Socket,
    private readonly context: PipeContext,
  ) {
    source.on('data', (chunk: Buffer) => this.onData(chunk));
    source.on('end', () => {
      this.sourceEnded = true;
      this.pump();
    });
    destination.on('drain', () => {
      if (!this.waitingForDrain) return;
      this.waitingForDrain = false;
      this.pump();
    });
  }

  get queued(): number {
    return this.queuedBytes;
  }

  /** Stops all timers and drops queued data; the sockets are the proxy's to destroy. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
  }

  /** Re-evaluates the head now (after update() changed the bandwidth limit). */
  poke(): void {
    this.pump();
  }

  private onData(chunk: Buffer): void {
    if (this.disposed) return;
    const nowMs = performance.now();
    const dueAtMs = Math.max(this.lastDueAtMs, nowMs + this.context.sampleDelayMs());
    this.lastDueAtMs = dueAtMs;
    this.queue.push({ chunk, dueAtMs });
    this.queuedBytes += chunk.length;
    const queuedChunks = this.queue.length - this.head;
    if (!this.sourcePaused && (this.queuedBytes >= this.context.maxQueuedBytes || queuedChunks >= MAX_QUEUED_CHUNKS)) {
      this.sourcePaused = true;
      this.source.pause();
    }
    // An armed timer or a pending drain already covers the head; the new chunk waits behind it.
    if (this.timer === undefined && !this.waitingForDrain) this.pump();
  }

  private pump(): void {
    if (this.disposed || this.waitingForDrain || this.ended) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (let writes = 0; writes < MAX_WRITES_PER_PUMP; writes++) {
      const item = this.queue[this.head];
      if (item === undefined) {
        if (this.sourceEnded) this.finish();
        return;
      }
      if (this.destination.destroyed) {
        this.dispose();
        return;
      }
      const nowMs = performance.now();
      if (item.dueAtMs > nowMs) {
        this.schedule(item.dueAtMs - nowMs);
        return;
      }
      let piece = item.chunk;
      const bucket = this.context.bucket();
      if (bucket !== undefined) {
        const granted = bucket.take(piece.length, nowMs);
        if (granted === 0) {
          this.schedule(bucket.waitMs(piece.length, nowMs));
          return;
        }
        if (granted < piece.length) {
          piece = item.chunk.subarray(0, granted);
          item.chunk = item.chunk.subarray(granted);
        } else {
          this.dequeue();
        }
      } else {
        this.dequeue();
      }
      this.queuedBytes -= piece.length;
      this.context.delivered(piece.length);
      const accepted = this.destination.write(piece);
      this.maybeResumeSource();
      if (!accepted) {
        this.waitingForDrain = true;
        return;
      }
    }
    // Yield after a bounded burst of writes; continue on the next turn of the event loop.
    this.schedule(0);
  }

  private dequeue(): void {
    this.queue[this.head] = undefined; // let the buffer be collected
    this.head++;
    // Compact occasionally so the array does not grow without bound.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private maybeResumeSource(): void {
    if (!this.sourcePaused) return;
    const queuedChunks = this.queue.length - this.head;
    if (this.queuedBytes <= this.context.maxQueuedBytes / 2 && queuedChunks <= MAX_QUEUED_CHUNKS / 2) {
      this.sourcePaused = false;
      this.source.resume();
    }
  }

  private schedule(delayMs: number): void {
    // Ceil: a timer firing a fraction early would just re-arm itself.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, Math.ceil(delayMs)));
  }

  /** Source ended and everything was delivered: forward the half-close. */
  private finish(): void {
    this.ended = true;
    if (!this.destination.destroyed) this.destination.end();
  }
}
