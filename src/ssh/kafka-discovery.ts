import { FaultlineError } from '../errors.js';
import { DISCOVERY_SCRIPT } from './discovery-script.js';
import type { RemoteRunner } from './shell-host.js';
import { processesFromOutput, type DiscoveredProcess } from './discovered-process.js';

/** Bound on the one discovery round trip. */
const DISCOVERY_TIMEOUT_MS = 20_000;
/** The local bound on the round trip is the remote one plus this (ssh's own time). */
const DISCOVERY_LOCAL_MARGIN_MS = 5_000;
/** coreutils' timeout exits with this when it ended the command. */
const TIMEOUT_EXIT = 124;
/** Kafka and ZooKeeper JVMs on one host beyond this are an error, not a silent cut. */
const DISCOVERY_MAX_PROCESSES = 16;
/** A larger config file is refused (server.properties is a few KiB). */
const DISCOVERY_MAX_CONFIG_BYTES = 256 * 1024;
/** Bytes read of each meta.properties (a few lines). */
const DISCOVERY_MAX_META_BYTES = 16 * 1024;
/** Bound on the script's whole output (hex triples every byte: command lines with long class paths, configs). */
const DISCOVERY_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

export interface DiscoveryOptions {
  readonly timeoutMs?: number;
  readonly maxProcesses?: number;
  readonly maxConfigBytes?: number;
}

/**
 * Every Kafka server JVM (kafka.Kafka) and ZooKeeper server JVM (QuorumPeerMain) on the host, in one round trip
 * that only reads /proc and files (docs/ssh.md, "Attaching: how a host's Kafka is found"). A process that ends
 * meanwhile is left out. Throws a FaultlineError naming the host when the script fails, a bound is passed, or a
 * config file cannot be read; a UsageError naming host and file when a config does not parse.
 */
export async function discoverKafkaProcesses(host: RemoteRunner, options: DiscoveryOptions = {}): Promise<DiscoveredProcess[]> {
  const name = host.target.host;
  const maxProcesses = options.maxProcesses ?? DISCOVERY_MAX_PROCESSES;
  const maxConfigBytes = options.maxConfigBytes ?? DISCOVERY_MAX_CONFIG_BYTES;
  const args = [String(maxProcesses), String(maxConfigBytes), String(DISCOVERY_MAX_META_BYTES)];
  const timeoutMs = options.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  // The host ends the script itself at timeoutMs (a hung read must not outlive us), the local bound comes later.
  const remoteSeconds = (timeoutMs / 1000).toFixed(3);
  const result = await host.run(['timeout', remoteSeconds, 'sh', '-c', DISCOVERY_SCRIPT, 'faultline-discover', ...args], {
    timeoutMs: timeoutMs + DISCOVERY_LOCAL_MARGIN_MS,
    maxOutputBytes: DISCOVERY_MAX_OUTPUT_BYTES,
  });
  if (result.code === TIMEOUT_EXIT) throw new FaultlineError(`host ${name}: discovery did not finish within ${timeoutMs} ms (timeoutMs)`);
  if (result.code !== 0) throw new FaultlineError(`host ${name}: the discovery script failed (exit ${result.code}): ${result.stderr.trim()}`);
  if (result.truncated) throw new FaultlineError(`host ${name}: the discovery output exceeds ${DISCOVERY_MAX_OUTPUT_BYTES} bytes`);
  return processesFromOutput(name, result.stdout, { maxProcesses, maxConfigBytes });
}
