#!/usr/bin/env node
/**
 * Standalone degraded-link proxy, meant to run detached from the faultline CLI:
 *   node dist/src/net/tcp-proxy-main.js '<TcpProxyOptions as JSON>'
 * Prints one line `{"ready":true,"port":N,"pid":P}` on stdout once listening, or
 * `{"ready":false,"error":"..."}` and exits 2 (bad options) / 3 (cannot listen).
 * SIGTERM or SIGINT: closes every socket and exits 0.
 */
import { FaultlineError } from '../errors.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import type { TcpProxyOptions } from './tcp-proxy-options.js';

/** A close that hangs (should not happen) must not keep a killed proxy alive forever. */
const CLOSE_TIMEOUT_MS = 5_000;

function writeLine(value: unknown): void {
  try {
    process.stdout.write(JSON.stringify(value) + '\n');
  } catch {
    // The parent may have closed our stdout after reading the ready line; nothing left to tell it.
  }
}

async function main(argv: readonly string[]): Promise<void> {
  // A parent that has gone away leaves stdout a broken pipe: ignore EPIPE instead of crashing.
  process.stdout.on('error', () => undefined);
  if (argv.length !== 1 || argv[0] === undefined) {
    writeLine({ ready: false, error: 'usage: tcp-proxy-main <options-json>' });
    process.exit(2);
  }
  let options: TcpProxyOptions;
  let proxy: TcpProxy;
  try {
    options = JSON.parse(argv[0]) as TcpProxyOptions;
    proxy = await startTcpProxy(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    writeLine({ ready: false, error: message });
    process.exit(error instanceof FaultlineError ? error.exitCode : 2);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), CLOSE_TIMEOUT_MS).unref();
    void proxy.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // SIGHUP arrives when a controlling terminal goes away; a detached proxy must outlive it.
  process.on('SIGHUP', () => undefined);
  writeLine({ ready: true, port: proxy.port, pid: process.pid });
}

void main(process.argv.slice(2));
