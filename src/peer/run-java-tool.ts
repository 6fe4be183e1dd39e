import { spawn } from 'node:child_process';
import { FaultlineError, UsageError } from '../errors.js';
import type { JavaToolCommand } from './java-tool.js';

export interface RunJavaToolOptions {
  /** Hard bound on the run: SIGTERM at this point, SIGKILL `killGraceMs` later. */
  readonly timeoutMs: number;
  /** Called for every complete stdout line (without the newline), in order. */
  readonly onStdoutLine?: (line: string) => void;
  /** Called for every complete stderr line; stderr's tail is kept either way. */
  readonly onStderrLine?: (line: string) => void;
  /** Stop early (e.g. a VerifiableProducer with --max-messages -1): SIGTERM, then SIGKILL after the grace. */
  readonly signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL; default 10 s (the JVM's shutdown hook flushes the producer). */
  readonly killGraceMs?: number;
  /** Lines of stderr kept for error messages; default 40. */
  readonly stderrTailLines?: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface JavaToolResult {
  /** Exit code, or null when a signal ended the JVM. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the timeout (not the caller) stopped the tool. */
  readonly timedOut: boolean;
  /** True when the tool had to be SIGKILLed (no shutdown hook ran: expect unreported sends). */
  readonly killed: boolean;
  readonly stdoutLines: number;
  readonly stderrTail: string;
  readonly durationMs: number;
}

/** Splits a text stream into lines across chunk boundaries; `end()` flushes a last unterminated line. */
class LineSplitter {
  private pending = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.pending += chunk;
      return;
    }
    let line = this.pending + chunk.slice(0, nl);
    this.pending = '';
    for (;;) {
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      line = chunk.slice(start, nl);
    }
    this.pending = chunk.slice(start);
  }
  end(): void {
    if (this.pending.length > 0) this.onLine(this.pending);
    this.pending = '';
  }
}

/**
 * Spawns a Kafka Java tool, streams its stdout line by line and bounds its run time.
 * Resolves when the JVM has exited (never rejects for a non-zero exit; the caller judges the code);
 * rejects only when the JVM cannot be started at all or a line callback throws.
 */
export function runJavaTool(command: JavaToolCommand, options: RunJavaToolOptions): Promise<JavaToolResult> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new UsageError(`timeoutMs must be > 0, got ${options.timeoutMs}`);
  const killGraceMs = options.killGraceMs ?? 10_000;
  const tailLines = options.stderrTailLines ?? 40;
  const startedMs = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderrTail: string[] = [];
    let stdoutLines = 0;
    let timedOut = false;
    let killed = false;
    let callbackError: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = (): void => {
      if (killTimer !== undefined || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, killGraceMs);
    };
    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => stop();
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const stdout = new LineSplitter((line) => {
      stdoutLines++;
      if (callbackError !== undefined || options.onStdoutLine === undefined) return;
      try {
        options.onStdoutLine(line);
      } catch (error) {
        // Keep draining the pipe so the JVM is not blocked; stop it and report the first error.
        callbackError = error instanceof Error ? error : new Error(String(error));
        stop();
      }
    });
    const stderr = new LineSplitter((line) => {
      stderrTail.push(line);
      if (stderrTail.length > tailLines) stderrTail.shift();
      options.onStderrLine?.(line);
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => stdout.push(chunk));
    child.stderr.on('data', (chunk: string) => stderr.push(chunk));

    const cleanup = (): void => {
      clearTimeout(timeoutTimer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      cleanup();
      reject(new FaultlineError(`cannot run ${command.command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      cleanup();
      stdout.end();
      stderr.end();
      if (callbackError !== undefined) {
        reject(callbackError);
        return;
      }
      resolve({
        exitCode: code,
        signal,
        timedOut,
        killed,
        stdoutLines,
        stderrTail: stderrTail.join('\n'),
        durationMs: Math.round(performance.now() - startedMs),
      });
    });
  });
}
