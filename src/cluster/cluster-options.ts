import { UsageError } from '../errors.js';
import type { ProviderKind } from './provider.js';
import type { SshHostsOptions } from './ssh/ssh-config.js';
import { DEFAULT_BROKER_SETTINGS, DEFAULT_JVM_SETTINGS } from './cluster-settings.js';
import type { ClusterOwnerKind } from './cluster-owner.js';
import { DEFAULT_KAFKA_VERSION, DEFAULT_ZOOKEEPER_KAFKA_VERSION, parseKafkaVersion } from './kafka-distribution.js';
import { MAX_BROKERS, parseMetadataMode, type MetadataMode } from './topology.js';

/** Bounds and defaults of the cluster provider's options: the one place they are written (the CLI reads them from here). */
export const DEFAULT_BROKERS = 3;
export const MIN_HEAP_MB = 128;
export const MAX_HEAP_MB = 8192;
export const DEFAULT_HEAP_MB = DEFAULT_JVM_SETTINGS.heapMb;
export const MIN_DISK_MB = 64;
export const MAX_DISK_MB = 65_536;
export const DEFAULT_DISK_MB = 2048;
export const MIN_START_TIMEOUT_MS = 1000;
export const MAX_START_TIMEOUT_MS = 3_600_000;
export const DEFAULT_START_TIMEOUT_MS = 90_000;

export interface ClusterUpOptions {
  /** Brokers, 1..MAX_BROKERS; default 3. */
  readonly brokers?: number;
  readonly metadata?: MetadataMode;
  readonly kafkaVersion?: string;
  /** Kafka broker settings merged over the defaults (see DEFAULT_BROKER_SETTINGS). */
  readonly settings?: Readonly<Record<string, string>>;
  readonly heapMb?: number;
  /** Size of each node's tmpfs data directory in MiB (what fill-disk fills). */
  readonly diskMb?: number;
  readonly startTimeoutMs?: number;
  /** Who starts the cluster: 'user' (default; by hand) or 'suite' (a suite run, which may replace it later). */
  readonly owner?: ClusterOwnerKind;
  /** Aborting it stops start-up: what was made is torn down and clusterUp throws (exit code EXIT_INTERRUPTED). */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /**
   * Where the nodes run: 'local' (namespaces on this machine) or 'ssh' (the hosts in `ssh`, recorded for later
   * clusters). Default: 'ssh' on the recorded SSH hosts when there are any ('faultline cluster detach' forgets them), else 'local'.
   */
  readonly provider?: ProviderKind;
  /** The SSH hosts and how to reach them, with provider 'ssh'. */
  readonly ssh?: SshHostsOptions;
}

/** ClusterUpOptions checked and with every default filled in. */
export interface ResolvedUpOptions {
  readonly brokers: number;
  readonly mode: MetadataMode;
  readonly kafkaVersion: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly heapMb: number;
  readonly diskMb: number;
  readonly startTimeoutMs: number;
  readonly owner: ClusterOwnerKind;
}

function boundedInteger(field: string, value: number, min: number, max: number, unit: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${field}: expected ${min}..${max}${unit}, got ${value}`);
  return value;
}

function resolveOwner(owner: string | undefined): ClusterOwnerKind {
  if (owner === undefined || owner === 'user' || owner === 'suite') return owner ?? 'user';
  throw new UsageError(`owner: expected 'user' or 'suite', got '${owner}'`);
}

/** Checks every option before anything is made; errors name the option's field. */
export function resolveUpOptions(options: ClusterUpOptions): ResolvedUpOptions {
  const mode = parseMetadataMode(options.metadata ?? 'kraft');
  const kafkaVersion = options.kafkaVersion ?? (mode === 'zookeeper' ? DEFAULT_ZOOKEEPER_KAFKA_VERSION : DEFAULT_KAFKA_VERSION);
  const { major } = parseKafkaVersion(kafkaVersion);
  if (mode === 'zookeeper' && major > 3) {
    throw new UsageError(`metadata: zookeeper needs Kafka 3.x (ZooKeeper mode was removed in 4.0); set kafkaVersion to ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`);
  }
  return {
    brokers: boundedInteger('brokers', options.brokers ?? DEFAULT_BROKERS, 1, MAX_BROKERS, ''),
    mode,
    kafkaVersion,
    settings: { ...DEFAULT_BROKER_SETTINGS, ...(options.settings ?? {}) },
    heapMb: boundedInteger('heapMb', options.heapMb ?? DEFAULT_HEAP_MB, MIN_HEAP_MB, MAX_HEAP_MB, ' MiB'),
    diskMb: boundedInteger('diskMb', options.diskMb ?? DEFAULT_DISK_MB, MIN_DISK_MB, MAX_DISK_MB, ' MiB per node'),
    startTimeoutMs: boundedInteger('startTimeoutMs', options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, MIN_START_TIMEOUT_MS, MAX_START_TIMEOUT_MS, ' ms'),
    owner: resolveOwner(options.owner),
  };
}
