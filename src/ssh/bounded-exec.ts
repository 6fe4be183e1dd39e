import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { FaultlineError } from '../errors.js';
import { cappedSink } from './capped-sink.js';

export interface BoundedResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
  /** Output beyond maxOutputBytes (per stream) was dropped. */
  readonly truncated: boolean;
  /** Killed at timeoutMs. */
  readonly timedOut: boolean;
}

export interface BoundedOptions {
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly stdin?: string;
}

/** Runs a local command (ssh) with a hard time limit and bounded output; never throws for a non-zero exit. */
export function boundedExec(command: string, args: readonly string[], options: BoundedOptions): Promise<BoundedResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = cappedSink(options.maxOutputBytes);
    const err = cappedSink(options.maxOutputBytes);
    let timedOut = false;
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new FaultlineError(`cannot run ${command}: ${error.message}`));
    });
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ms = performance.now() - started;
      const truncated = out.dropped() || err.dropped();
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out.text(), stderr: err.text(), ms, truncated, timedOut });
    };
    child.on('close', finish);
    // A killed ssh mux client may have handed its pipes to the master, which holds them until the remote
    // command ends: after a timeout, its exit is the end.
    child.on('exit', (code, signal) => {
      if (!timedOut) return;
      child.stdout.destroy();
      child.stderr.destroy();
      finish(code, signal);
    });
    child.stdin.end(options.stdin ?? '');
  });
}
