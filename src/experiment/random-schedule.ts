import { parseFault } from '../nemesis/fault-parse.js';
import { SeededRandom } from '../util/seeded-random.js';
import type { FaultTemplate, PlannedFault, RandomScheduleSpec } from './experiment.js';
import { MAX_PLANNED_FAULTS } from './experiment-limits.js';

/** The fault of a template with its drawn target (if it needs one), as plain data for parseFault. */
export function templateFault(template: FaultTemplate, target: string | undefined): Readonly<Record<string, unknown>> {
  return template.needsTarget && target !== undefined ? { ...template.fields, target } : template.fields;
}

/**
 * Plans a Jepsen-style random schedule. Pure: the same spec and seed give the same plan, so a run replays
 * exactly from its recorded seed. From the step's start: a quiet interval, a fault held for an interval, a
 * quiet interval, the next fault, ...; both intervals drawn from [intervalMs.min, intervalMs.max] (whole ms),
 * the template and (for a template without one) the target drawn uniformly. The plan ends with the last fault
 * that heals within forMs, so every planned fault fires and heals inside the step.
 */
export function planRandomSchedule(spec: RandomScheduleSpec, seed: number): PlannedFault[] {
  const random = new SeededRandom(seed);
  const { min, max } = spec.intervalMs;
  const draw = (): number => min + random.int(max - min + 1);
  const plan: PlannedFault[] = [];
  let clockMs = 0;
  for (let index = 0; index < MAX_PLANNED_FAULTS && spec.faults.length > 0; index++) {
    const atMs = clockMs + draw();
    const healAtMs = atMs + draw();
    if (healAtMs > spec.forMs) break;
    const templateIndex = random.int(spec.faults.length);
    const template = spec.faults[templateIndex] as FaultTemplate;
    const target = template.needsTarget ? spec.targets[random.int(spec.targets.length)] : undefined;
    const fault = parseFault(templateFault(template, target));
    plan.push({ index, atMs, healAtMs, template: templateIndex, ...(target !== undefined ? { target } : {}), fault });
    clockMs = healAtMs;
  }
  return plan;
}
