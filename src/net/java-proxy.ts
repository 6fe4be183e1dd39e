import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { resolveTcpProxyOptions, type TcpProxyOptions } from './tcp-proxy-options.js';

/**
 * The Java twin of the degraded-link proxy (java/FaultlineTcpProxy.java) for SSH hosts, which always have Java (Kafka
 * runs there) but not necessarily Node. `npm run build` compiles it into dist/java (scripts/build-java.mjs).
 * Same ready line, exit codes and semantics as tcp-proxy-main.ts; see docs/faults-network-degrade.md.
 */

/** The main class; it is also in every Java proxy's command line, so a sweep can find proxies a crash left behind. */
export const JAVA_PROXY_MAIN_CLASS = 'FaultlineTcpProxy';

/** dist/java: the `-cp` directory of the compiled proxy on this machine (dist/src/net/ → dist/java). */
export const JAVA_PROXY_CLASS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'java');

/**
 * A small heap footprint next to a broker: the proxy is one thread, so the serial collector suits it
 * (the default G1 starts GC threads per core and sizes itself for a server).
 */
const JVM_OPTIONS = ['-XX:+UseSerialGC'] as const;

export interface JavaProxyArgsOptions {
  /** Where the class files are on the host that runs `java`. Default: JAVA_PROXY_CLASS_DIR (this machine). */
  classDir?: string;
  /** Free text the proxy ignores (`tag=<text>`): a marker in its command line, e.g. the fault id. */
  tag?: string;
}

/** Absolute paths of every class file of the proxy (the main class and its nested classes): what to copy to a host. */
export function javaProxyClassFiles(classDir: string = JAVA_PROXY_CLASS_DIR): string[] {
  return readdirSync(classDir)
    .filter((name) => name.startsWith(JAVA_PROXY_MAIN_CLASS) && name.endsWith('.class'))
    .sort()
    .map((name) => join(classDir, name));
}

/**
 * The arguments after `java` that start the proxy: JVM options, `-cp <classDir> FaultlineTcpProxy`, then one
 * `key=value` per option (defaults filled in, so the command line shows everything in force).
 * Validates with the Node proxy's rules first: bad options throw UsageError naming the option.
 */
export function javaProxyArgs(options: TcpProxyOptions, argsOptions: JavaProxyArgsOptions = {}): string[] {
  const resolved = resolveTcpProxyOptions(options);
  const { classDir = JAVA_PROXY_CLASS_DIR, tag } = argsOptions;
  if (tag !== undefined && /[\r\n\0]/.test(tag)) throw new UsageError(`tag: must be one line, got ${JSON.stringify(tag)}`);
  const pairs: [string, string | number | undefined][] = [
    ['listenHost', resolved.listenHost],
    ['listenPort', resolved.listenPort],
    ['targetHost', resolved.targetHost],
    ['targetPort', resolved.targetPort],
    ['latencyMs', resolved.latencyMs],
    ['jitterMs', resolved.jitterMs],
    ['bandwidthBytesPerSec', resolved.bandwidthBytesPerSec],
    ['flakyUpMs', resolved.flaky?.upMs],
    ['flakyDownMs', resolved.flaky?.downMs],
    ['direction', resolved.direction],
    ['seed', resolved.seed],
    ['maxQueuedBytes', resolved.maxQueuedBytes],
    ['maxConnections', resolved.maxConnections],
    ['tag', tag],
  ];
  const keyValues = pairs.flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${String(value)}`]));
  return [...JVM_OPTIONS, '-cp', classDir, JAVA_PROXY_MAIN_CLASS, ...keyValues];
}
