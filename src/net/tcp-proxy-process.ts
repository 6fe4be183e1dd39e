import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FaultlineError } from '../errors.js';
import { isProcessAlive, signalProcess } from '../util/process.js';
import { sleep } from '../util/time.js';
import type { TcpProxyOptions } from './tcp-proxy-options.js';
import { resolveTcpProxyOptions } from './tcp-proxy-options.js';

export interface DetachedProxy {
  pid: number;
  port: number;
}

export interface SpawnProxyOptions {
  /** Prepended to the node command, e.g. ['ip', 'netns', 'exec', 'fl-n1'] to run inside a namespace (exec keeps the pid). */
  commandPrefix?: readonly string[];
  /** How long to wait for the ready line. Default 10 s. */
  readyTimeoutMs?: number;
}

/** In every proxy's command line: how `heal --all` and `cluster down` find proxies a crash left behind. */
export const PROXY_MARKER = 'tcp-proxy-main.js';

/** Path of the compiled entry point next to this file (dist/src/net/tcp-proxy-main.js). */
export const TCP_PROXY_MAIN_PATH = fileURLToPath(new URL('./tcp-proxy-main.js', import.meta.url));

/** The argv that launches a detached proxy: [command, ...args]. */
export function tcpProxyCommand(options: TcpProxyOptions, commandPrefix: readonly string[] = []): string[] {
  resolveTcpProxyOptions(options); // fail fast with UsageError before spawning
  return [...commandPrefix, process.execPath, TCP_PROXY_MAIN_PATH, JSON.stringify(options)];
}

/**
 * Spawns the proxy as a detached process (own session, no stdio kept after ready) so it survives this process.
 * Resolves with its pid and port once it printed its ready line; the caller records the pid to kill on heal.
 */
export function spawnDetachedTcpProxy(options: TcpProxyOptions, spawnOptions: SpawnProxyOptions = {}): Promise<DetachedProxy> {
  const [command, ...args] = tcpProxyCommand(options, spawnOptions.commandPrefix);
  const readyTimeoutMs = spawnOptions.readyTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    let buffered = '';
    let settled = false;
    const settle = (error: Error | undefined, value?: DetachedProxy): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      // Let go of the child so our exit does not wait for it (and it does not wait for us).
      child.stdout.destroy();
      child.unref();
      if (error !== undefined) {
        if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
        reject(error);
      } else if (value !== undefined) {
        resolve(value);
      }
    };
    const timer = setTimeout(
      () => settle(new FaultlineError(`tcp proxy: no ready line within ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    child.on('error', (error) => settle(new FaultlineError(`tcp proxy: cannot start ${command}: ${error.message}`)));
    child.on('exit', (code) => settle(new FaultlineError(`tcp proxy exited with code ${code} before ready: ${buffered.trim()}`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      buffered += text;
      if (buffered.length > 64 * 1024) {
        settle(new FaultlineError('tcp proxy: ready line too long'));
        return;
      }
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.slice(0, newline);
      try {
        const parsed = JSON.parse(line) as { ready?: unknown; port?: unknown; pid?: unknown; error?: unknown };
        if (parsed.ready === true && typeof parsed.port === 'number' && typeof parsed.pid === 'number') {
          settle(undefined, { pid: parsed.pid, port: parsed.port });
        } else {
          settle(new FaultlineError(`tcp proxy failed to start: ${typeof parsed.error === 'string' ? parsed.error : line}`));
        }
      } catch {
        settle(new FaultlineError(`tcp proxy: unexpected output: ${line}`));
      }
    });
  });
}

/** A proxy gets this many polls of STOP_POLL_MS to exit after each signal. */
const STOP_POLLS = 100;
const STOP_POLL_MS = 10;

/** Stops a degrade proxy (SIGTERM, then SIGKILL); undefined when it was already gone. */
export async function stopDetachedProxy(pid: number, marker: string): Promise<string | undefined> {
  if (!isProcessAlive(pid, marker)) return undefined;
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    signalProcess(pid, signal);
    for (let i = 0; i < STOP_POLLS && isProcessAlive(pid, marker); i++) await sleep(STOP_POLL_MS);
    if (!isProcessAlive(pid, marker)) return `stopped proxy ${pid}`;
  }
  throw new FaultlineError(`proxy ${pid} survived SIGKILL`);
}
