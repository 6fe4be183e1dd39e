import { UsageError } from '../errors.js';

/** Which direction(s) of a connection get latency and the bandwidth limit. upstream = client → target. */
export type ProxyDirection = 'both' | 'upstream' | 'downstream';

/** Intermittent drop: the link alternates `upMs` working, then `downMs` broken, starting up. */
export interface FlakySchedule {
  upMs: number;
  downMs: number;
}

/** The part of the options that `TcpProxy.update()` can change live. */
export interface TcpProxyDegradation {
  /** One-way delay added to each chunk in each degraded direction (a round trip gains 2× with direction 'both'). */
  latencyMs?: number;
  /** Each chunk's delay is latencyMs + uniform(-jitterMs, +jitterMs), floored at 0; never reorders bytes. */
  jitterMs?: number;
  /** Token bucket rate per degraded direction, shared by all connections of this proxy (a link, not a flow). */
  bandwidthBytesPerSec?: number | undefined;
  /** When set, new connections are reset and existing ones destroyed during each down window. */
  flaky?: FlakySchedule | undefined;
  direction?: ProxyDirection;
}

export interface TcpProxyOptions extends TcpProxyDegradation {
  listenHost: string;
  /** 0 = ephemeral port, read it from `TcpProxy.port`. */
  listenPort: number;
  targetHost: string;
  targetPort: number;
  /** Seed for jitter samples; same seed, same sequence of samples. Default 1. */
  seed?: number;
  /** Bytes queued per connection per direction before the source socket is paused. Default 1 MiB. */
  maxQueuedBytes?: number;
  /** Concurrent connections; more are reset on accept. Default 1024. */
  maxConnections?: number;
}

/** Options after defaults: every field present. */
export interface ResolvedDegradation {
  latencyMs: number;
  jitterMs: number;
  bandwidthBytesPerSec: number | undefined;
  flaky: FlakySchedule | undefined;
  direction: ProxyDirection;
}

export interface ResolvedTcpProxyOptions extends ResolvedDegradation {
  listenHost: string;
  listenPort: number;
  targetHost: string;
  targetPort: number;
  seed: number;
  maxQueuedBytes: number;
  maxConnections: number;
}

const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS = 1024;
/** One hour: larger delays are almost certainly a unit mistake (seconds vs ms). */
const MAX_LATENCY_MS = 3_600_000;
const DEGRADATION_KEYS = ['latencyMs', 'jitterMs', 'bandwidthBytesPerSec', 'flaky', 'direction'] as const;
const ALL_KEYS = new Set<string>([
  ...DEGRADATION_KEYS,
  'listenHost',
  'listenPort',
  'targetHost',
  'targetPort',
  'seed',
  'maxQueuedBytes',
  'maxConnections',
]);

/** Validates full options (from code or from JSON on a command line); bad values throw UsageError naming the option. */
export function resolveTcpProxyOptions(input: unknown): ResolvedTcpProxyOptions {
  const raw = asRecord(input, 'tcp proxy options');
  rejectUnknownKeys(raw, ALL_KEYS);
  const degradation = mergeDegradation(
    { latencyMs: 0, jitterMs: 0, bandwidthBytesPerSec: undefined, flaky: undefined, direction: 'both' },
    raw,
  );
  return {
    ...degradation,
    listenHost: requireHost(raw, 'listenHost'),
    listenPort: requireInt(raw, 'listenPort', 0, 65535),
    targetHost: requireHost(raw, 'targetHost'),
    targetPort: requireInt(raw, 'targetPort', 1, 65535),
    seed: optionalInt(raw, 'seed', -0x80000000, 0xffffffff) ?? 1,
    maxQueuedBytes: optionalInt(raw, 'maxQueuedBytes', 1024, 1024 * 1024 * 1024) ?? DEFAULT_MAX_QUEUED_BYTES,
    maxConnections: optionalInt(raw, 'maxConnections', 1, 65536) ?? DEFAULT_MAX_CONNECTIONS,
  };
}

/**
 * Applies a partial degradation on top of `current`. Only keys present in `partial` change;
 * `bandwidthBytesPerSec: undefined` / `flaky: undefined` (or null from JSON) present as keys remove the limit.
 */
export function mergeDegradation(current: ResolvedDegradation, partial: unknown): ResolvedDegradation {
  const raw = asRecord(partial, 'degradation');
  const next: ResolvedDegradation = { ...current };
  if ('latencyMs' in raw) next.latencyMs = requireNumber(raw, 'latencyMs', 0, MAX_LATENCY_MS);
  if ('jitterMs' in raw) next.jitterMs = requireNumber(raw, 'jitterMs', 0, MAX_LATENCY_MS);
  if ('bandwidthBytesPerSec' in raw) {
    next.bandwidthBytesPerSec = isAbsent(raw.bandwidthBytesPerSec)
      ? undefined
      : requireNumber(raw, 'bandwidthBytesPerSec', 1, Number.MAX_SAFE_INTEGER);
  }
  if ('flaky' in raw) next.flaky = isAbsent(raw.flaky) ? undefined : requireFlaky(raw.flaky);
  if ('direction' in raw) {
    const direction = raw.direction;
    if (direction !== 'both' && direction !== 'upstream' && direction !== 'downstream') {
      throw new UsageError(`direction: expected 'both', 'upstream' or 'downstream', got ${JSON.stringify(direction)}`);
    }
    next.direction = direction;
  }
  return next;
}

/** Validates a partial degradation for `update()`: only degradation keys are allowed. */
export function checkDegradationKeys(partial: unknown): void {
  rejectUnknownKeys(asRecord(partial, 'degradation'), new Set<string>(DEGRADATION_KEYS));
}

function requireFlaky(value: unknown): FlakySchedule {
  const raw = asRecord(value, 'flaky');
  rejectUnknownKeys(raw, new Set(['upMs', 'downMs']), 'flaky.');
  return {
    upMs: requireNumber(raw, 'upMs', 1, MAX_LATENCY_MS, 'flaky.'),
    downMs: requireNumber(raw, 'downMs', 1, MAX_LATENCY_MS, 'flaky.'),
  };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${what}: expected an object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknownKeys(raw: Record<string, unknown>, allowed: Set<string>, prefix = ''): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) throw new UsageError(`${prefix}${key}: unknown option (allowed: ${[...allowed].join(', ')})`);
  }
}

function requireNumber(raw: Record<string, unknown>, key: string, min: number, max: number, prefix = ''): number {
  const value = raw[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new UsageError(`${prefix}${key}: expected a number, got ${JSON.stringify(value)}`);
  }
  if (value < min || value > max) throw new UsageError(`${prefix}${key}: ${value} is out of range (${min}..${max})`);
  return value;
}

function requireInt(raw: Record<string, unknown>, key: string, min: number, max: number): number {
  const value = requireNumber(raw, key, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`${key}: expected a whole number, got ${value}`);
  return value;
}

function optionalInt(raw: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  return isAbsent(raw[key]) ? undefined : requireInt(raw, key, min, max);
}

function requireHost(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) {
    throw new UsageError(`${key}: expected a host name or IP address, got ${JSON.stringify(value)}`);
  }
  return value;
}
