import type { ProbePhase, ProbeRecord } from '../../history/operation.js';
import type { ProbeResult } from './probe-context.js';

/** The journal record of one probe run (its value left out when the probe failed before measuring). */
export function probeRecord(result: ProbeResult, phase: ProbePhase, timeMs: number): ProbeRecord {
  return {
    kind: 'probe',
    timeMs,
    name: result.name,
    probe: result.kind,
    phase,
    ok: result.ok,
    ...(result.value !== null && result.value !== undefined ? { value: result.value } : {}),
    ...(result.detail !== '' ? { detail: result.detail } : {}),
  };
}
