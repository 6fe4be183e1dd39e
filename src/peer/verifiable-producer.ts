import { FaultlineError, UsageError } from '../errors.js';
import { sendValue, type OpError, type OpRecord } from '../history/operation.js';
import { javaToolCommand, toolAcks, type JavaToolCommand, type JavaToolJvmOptions, type ToolDistribution } from './java-tool.js';
import { classifySendError } from './send-error-class.js';
import { checkValuePrefix, parseVerifiableWireValue, verifiableProducerId } from './verifiable-value.js';

export const VERIFIABLE_PRODUCER_CLASS = 'org.apache.kafka.tools.VerifiableProducer';

const JAVA_INT_MAX = 2_147_483_647;

export interface VerifiableProducerOptions extends JavaToolJvmOptions {
  readonly dist: ToolDistribution;
  readonly bootstrapServers: string;
  readonly topic: string;
  /** Messages to send; -1 sends until the tool is stopped (SIGTERM runs its flushing shutdown hook). */
  readonly maxMessages: number;
  /** Approximate cap in messages/s; -1 (default) for none. */
  readonly throughputPerSec?: number;
  /** '0', '1', 'all' (or '-1'). */
  readonly acks: string;
  /**
   * Producer properties file (see writeProducerConfig); passed as --command-config on 4.x and
   * --producer.config on 3.x. Its keys override the tool's own, e.g. its `retries=0`.
   */
  readonly producerConfigFile?: string;
  /** Written as `<prefix>.<i>`; also names the producer in the history (`vp<prefix>`). Recommended. */
  readonly valuePrefix?: number;
  /** Keys 0..n-1 round robin (spreads messages over partitions by key); default: no key. */
  readonly repeatingKeys?: number;
}

function javaInt(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > JAVA_INT_MAX) throw new UsageError(`${name} must be a whole number from ${min} to ${JAVA_INT_MAX}, got ${value}`);
}

/** The `java … org.apache.kafka.tools.VerifiableProducer …` command line (options checked against 3.9.2 and 4.3.1). */
export function verifiableProducerCommand(options: VerifiableProducerOptions): JavaToolCommand {
  if (options.bootstrapServers.trim() === '') throw new UsageError('bootstrapServers is empty');
  if (options.topic.trim() === '') throw new UsageError('topic is empty');
  if (options.maxMessages !== -1) javaInt('maxMessages', options.maxMessages, 0);
  const throughput = options.throughputPerSec ?? -1;
  if (throughput !== -1) javaInt('throughputPerSec', throughput, 0);
  const args = [
    '--bootstrap-server', options.bootstrapServers,
    '--topic', options.topic,
    '--max-messages', String(options.maxMessages),
    '--throughput', String(throughput),
    '--acks', toolAcks(options.acks),
  ];
  if (options.producerConfigFile !== undefined) {
    // 4.x deprecates --producer.config and prints that warning on stdout; 3.x has no --command-config.
    args.push(options.dist.major >= 4 ? '--command-config' : '--producer.config', options.producerConfigFile);
  }
  if (options.valuePrefix !== undefined) {
    checkValuePrefix(options.valuePrefix);
    args.push('--value-prefix', String(options.valuePrefix));
  }
  if (options.repeatingKeys !== undefined) {
    javaInt('repeatingKeys', options.repeatingKeys, 1);
    args.push('--repeating-keys', String(options.repeatingKeys));
  }
  return javaToolCommand(options.dist, VERIFIABLE_PRODUCER_CLASS, args, options);
}

// ---------------------------------------------------------------------------------------------
// Converter: VerifiableProducer's JSON lines → our op records.

export interface VerifiableProducerConverterOptions {
  /**
   * Wall-clock (epoch ms) of the journal's time origin, e.g. `Date.now() - journal.elapsedMs()`:
   * the tool stamps lines with epoch ms, the journal counts from the run start.
   */
  readonly runStartEpochMs: number;
  /** The --value-prefix the tool ran with; its values must carry exactly this prefix. */
  readonly valuePrefix?: number;
  /** The --max-messages the tool ran with: bounds `finish()` when the tool printed no tool_data. */
  readonly maxMessages?: number;
  /** The producer's `retries` (0 unless the config file overrides it): decides definite errors. */
  readonly retries?: number;
  /** When set, a line about another topic is an error. */
  readonly topic?: string;
}

/** The tool's own closing numbers (`tool_data`, printed by its shutdown hook). */
export interface VerifiableToolData {
  readonly sent: number;
  readonly acked: number;
  readonly targetThroughput: number;
  readonly avgThroughputPerSec: number;
}

export interface VerifiableProducerSummary {
  readonly producerId: string;
  /** Run time (ms) of startup_complete / shutdown_complete; null when not seen. */
  readonly startupTimeMs: number | null;
  readonly shutdownTimeMs: number | null;
  readonly toolData: VerifiableToolData | null;
  readonly invoked: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** info records made by finish() for sends the tool never reported. */
  readonly unreported: number;
  /** A second report for a value already completed (dropped; should not happen). */
  readonly repeatedReports: number;
  /** stdout lines that are not the tool's JSON (log lines, the 4.x deprecation notice). */
  readonly ignoredLines: number;
  readonly firstIgnoredLines: readonly string[];
}

export interface FinishOptions {
  /**
   * How many sends may have happened (values 0..sentCount-1). Default: tool_data's `sent`, else
   * --max-messages, else the values seen. After a SIGKILL with --max-messages -1 pass the highest
   * seq read back + 1, or values the tool sent but never reported would be unexpected reads.
   */
  readonly sentCount?: number;
  /** Run time of the closing info records; default the latest time seen. */
  readonly timeMs?: number;
}

type Json = Record<string, unknown>;

const DONE = 1;
const MAX_KEPT_IGNORED = 5;

/**
 * Streaming converter for one VerifiableProducer process. Feed each stdout line to `line()`; it returns
 * the records to append. VerifiableProducer prints nothing at send time, so the first report of value
 * `i` also emits the `invoke`s of every value ≤ i not invoked yet, in seq order and at that report's
 * time: invokes appear in send order, and their time is an upper bound on the real send time.
 */
export class VerifiableProducerConverter {
  readonly producerId: string;
  private readonly options: VerifiableProducerConverterOptions;
  private done = new Uint8Array(1024);
  /** Values 0..invokedCount-1 have their invoke emitted. */
  private invokedCount = 0;
  private lastTimeMs = 0;
  private startupTimeMs: number | null = null;
  private shutdownTimeMs: number | null = null;
  private toolData: VerifiableToolData | null = null;
  private counts = { ok: 0, fail: 0, info: 0, unreported: 0, repeated: 0, ignored: 0 };
  private readonly firstIgnored: string[] = [];
  private finished = false;

  constructor(options: VerifiableProducerConverterOptions) {
    if (!Number.isFinite(options.runStartEpochMs)) throw new UsageError('runStartEpochMs must be a number (epoch ms)');
    this.options = options;
    this.producerId = verifiableProducerId(options.valuePrefix);
  }

  /** Records for one stdout line ([] for lines that carry no operation). */
  line(text: string): OpRecord[] {
    const trimmed = text.trim();
    let parsed: unknown;
    if (trimmed.startsWith('{')) {
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        parsed = undefined;
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as Json)['name'] !== 'string') {
      this.ignore(text);
      return [];
    }
    return this.event(parsed as Json, text);
  }

  /** Records for one already-parsed JSON event. */
  event(o: Json, text = JSON.stringify(o)): OpRecord[] {
    if (this.finished) throw new FaultlineError('VerifiableProducer converter: line after finish()');
    const timeMs = this.timeOf(o['timestamp']);
    switch (o['name']) {
      case 'startup_complete':
        this.startupTimeMs ??= timeMs;
        return [];
      case 'shutdown_complete':
        this.shutdownTimeMs = timeMs;
        return [];
      case 'tool_data':
        this.toolData = {
          sent: wholeField(o, 'sent', text),
          acked: wholeField(o, 'acked', text),
          targetThroughput: numberField(o, 'target_throughput', text),
          avgThroughputPerSec: numberField(o, 'avg_throughput', text),
        };
        return [];
      case 'producer_send_success': {
        const seq = this.seqOf(o, text);
        const out = this.invokeThrough(seq, timeMs);
        if (this.complete(seq)) {
          const ok = this.op('ok', seq, timeMs);
          ok.partition = wholeField(o, 'partition', text);
          // acks=0: the client reports offset -1 (no broker answer): an ok without offset.
          const offset = numberField(o, 'offset', text);
          if (offset >= 0) ok.offset = offset;
          this.counts.ok++;
          out.push(ok);
        }
        return out;
      }
      case 'producer_send_error': {
        const seq = this.seqOf(o, text);
        const out = this.invokeThrough(seq, timeMs);
        if (this.complete(seq)) {
          const exception = typeof o['exception'] === 'string' ? o['exception'] : 'UnknownException';
          const message = typeof o['message'] === 'string' ? o['message'] : '';
          const cls = classifySendError(exception, message, { retries: this.options.retries ?? 0 });
          const op = this.op(cls.outcome, seq, timeMs);
          op.error = { code: cls.code, message };
          this.counts[cls.outcome]++;
          out.push(op);
        }
        return out;
      }
      default:
        this.ignore(text);
        return [];
    }
  }

  /**
   * Closes the history of this producer: every send that may have happened and got no report
   * (the tool was killed, or exited early) becomes `info`. Call once, after the tool exited.
   */
  finish(options: FinishOptions = {}): OpRecord[] {
    if (this.finished) return [];
    this.finished = true;
    const max = this.options.maxMessages;
    const sentCount = options.sentCount ?? this.toolData?.sent ?? (max !== undefined && max >= 0 ? max : this.invokedCount);
    if (!Number.isSafeInteger(sentCount) || sentCount < 0) throw new UsageError(`sentCount must be a whole number >= 0, got ${sentCount}`);
    const timeMs = Math.max(this.lastTimeMs, options.timeMs ?? this.lastTimeMs);
    const end = Math.max(sentCount, this.invokedCount);
    const out = this.invokeThrough(end - 1, timeMs);
    const error: OpError = { code: 'UNREPORTED', message: 'VerifiableProducer exited without reporting this send' };
    for (let seq = 0; seq < end; seq++) {
      if (this.done[seq] === DONE) continue;
      const op = this.op('info', seq, timeMs);
      op.error = { ...error };
      out.push(op);
      this.counts.info++;
      this.counts.unreported++;
    }
    return out;
  }

  summary(): VerifiableProducerSummary {
    return {
      producerId: this.producerId,
      startupTimeMs: this.startupTimeMs,
      shutdownTimeMs: this.shutdownTimeMs,
      toolData: this.toolData,
      invoked: this.invokedCount,
      ok: this.counts.ok,
      fail: this.counts.fail,
      info: this.counts.info,
      unreported: this.counts.unreported,
      repeatedReports: this.counts.repeated,
      ignoredLines: this.counts.ignored,
      firstIgnoredLines: [...this.firstIgnored],
    };
  }

  private ignore(text: string): void {
    this.counts.ignored++;
    if (this.firstIgnored.length < MAX_KEPT_IGNORED) this.firstIgnored.push(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  }

  /** Tool epoch ms → run ms, never going back (the tool stamps before taking the stdout lock). */
  private timeOf(timestamp: unknown): number {
    if (typeof timestamp === 'number' && Number.isFinite(timestamp)) {
      this.lastTimeMs = Math.max(this.lastTimeMs, timestamp - this.options.runStartEpochMs);
    }
    return this.lastTimeMs;
  }

  private seqOf(o: Json, text: string): number {
    const value = o['value'];
    const wire = typeof value === 'string' ? parseVerifiableWireValue(value) : null;
    if (wire === null) throw new FaultlineError(`VerifiableProducer line with a value that is not one of its integers: ${text}`);
    if (wire.valuePrefix !== this.options.valuePrefix) {
      throw new FaultlineError(`VerifiableProducer value ${JSON.stringify(value)} does not carry the expected prefix ${this.options.valuePrefix ?? '(none)'}: ${text}`);
    }
    if (wire.seq > JAVA_INT_MAX) throw new FaultlineError(`VerifiableProducer value ${JSON.stringify(value)}: seq out of range`);
    const topic = o['topic'];
    if (this.options.topic !== undefined && topic !== undefined && topic !== this.options.topic) {
      throw new FaultlineError(`VerifiableProducer line for topic ${JSON.stringify(topic)}, expected ${this.options.topic}: ${text}`);
    }
    return wire.seq;
  }

  /** Invokes for seqs invokedCount..seq, in order. */
  private invokeThrough(seq: number, timeMs: number): OpRecord[] {
    const out: OpRecord[] = [];
    for (let s = this.invokedCount; s <= seq; s++) out.push(this.op('invoke', s, timeMs));
    if (seq >= this.invokedCount) this.invokedCount = seq + 1;
    return out;
  }

  /** Marks seq completed; false (and counted) when it already was. */
  private complete(seq: number): boolean {
    if (seq >= this.done.length) {
      let size = this.done.length * 2;
      while (size <= seq) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.done);
      this.done = grown;
    }
    if (this.done[seq] === DONE) {
      this.counts.repeated++;
      return false;
    }
    this.done[seq] = DONE;
    return true;
  }

  private op(type: OpRecord['type'], seq: number, timeMs: number): OpRecord {
    return { kind: 'op', type, f: 'send', process: this.producerId, value: sendValue(this.producerId, seq), timeMs };
  }
}

/** Functional form: the records for one line, with `state` carrying what earlier lines said. */
export function convertVerifiableProducerLine(line: string, state: VerifiableProducerConverter): OpRecord[] {
  return state.line(line);
}

function numberField(o: Json, key: string, text: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FaultlineError(`VerifiableProducer line without a numeric '${key}': ${text}`);
  return v;
}

function wholeField(o: Json, key: string, text: string): number {
  const v = numberField(o, key, text);
  if (!Number.isSafeInteger(v)) throw new FaultlineError(`VerifiableProducer line: '${key}' is not a whole number: ${text}`);
  return v;
}
