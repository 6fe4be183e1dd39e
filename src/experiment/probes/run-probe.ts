import { withinMs } from '../../util/time.js';
import { measureChecker } from './checker-probe.js';
import { measureClusterHealth } from './cluster-health-probe.js';
import { measureCommand } from './command-probe.js';
import { measureConsumerGroup } from './consumer-group-probe.js';
import type { ProbeContext, ProbeResult } from './probe-context.js';
import type { ProbeKind, ProbeSpec } from './probe-spec.js';
import { measureRoundTrip } from './round-trip-probe.js';
import { evaluateTolerance } from './tolerance-evaluate.js';
import { measureTopicView } from './topic-view-probe.js';

/** One run of each kind of probe is bounded by its timeoutMs, or by this default. */
export const DEFAULT_PROBE_TIMEOUTS_MS: Readonly<Record<ProbeKind, number>> = {
  'cluster-health': 5000,
  'round-trip': 10_000,
  'consumer-group': 10_000,
  'topic-view': 5000,
  command: 30_000,
  checker: 60_000,
};

/** A probe that has not ended this long after its timeout is abandoned (its clients close on their own bounds). */
const ABANDON_GRACE_MS = 5000;

function measure(spec: ProbeSpec, context: ProbeContext, timeoutMs: number): Promise<unknown> {
  switch (spec.kind) {
    case 'cluster-health':
      return measureClusterHealth(spec, context, timeoutMs);
    case 'round-trip':
      return measureRoundTrip(spec, context, timeoutMs);
    case 'consumer-group':
      return measureConsumerGroup(spec, context, timeoutMs);
    case 'topic-view':
      return measureTopicView(spec, context, timeoutMs);
    case 'command':
      return measureCommand(spec, timeoutMs);
    case 'checker':
      return measureChecker(spec, context);
  }
}


/**
 * Runs a probe once, bounded in time, and judges its value against its tolerance (with the probe's earlier
 * observations from `context.memory`, to which it adds this one). Never throws: a probe that fails (an
 * error, a timeout) is `ok: false` with the error as detail and a null value.
 */
export async function runProbe(spec: ProbeSpec, context: ProbeContext): Promise<ProbeResult> {
  const startedAtMs = context.nowMs();
  const started = performance.now();
  const timeoutMs = spec.timeoutMs ?? DEFAULT_PROBE_TIMEOUTS_MS[spec.kind];
  const history = context.memory?.observations(spec.name) ?? [];
  const tookMs = (): number => Math.round((performance.now() - started) * 1000) / 1000;
  try {
    const value = await withinMs(measure(spec, context, timeoutMs), timeoutMs + ABANDON_GRACE_MS, `probe ${spec.name}`);
    const outcome = evaluateTolerance(spec.tolerance, value, history, startedAtMs);
    context.memory?.note(spec.name, { timeMs: startedAtMs, value });
    return { name: spec.name, kind: spec.kind, ok: outcome.ok, value: value ?? null, detail: outcome.detail, startedAtMs, tookMs: tookMs() };
  } catch (error) {
    context.memory?.note(spec.name, { timeMs: startedAtMs, value: null, failed: true });
    const detail = error instanceof Error ? error.message : String(error);
    return { name: spec.name, kind: spec.kind, ok: false, value: null, detail, startedAtMs, tookMs: tookMs() };
  }
}
