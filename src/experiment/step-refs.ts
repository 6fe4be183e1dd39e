import type { YamlField } from '../scenario/yaml-field.js';
import { suggestion } from '../util/suggest.js';
import type { StepKind } from './experiment.js';

/**
 * The names an experiment declares (steps, probes, workloads) and the references between them, checked
 * before anything runs: duplicates fail at the second declaration, a dangling reference at the reference.
 */
export class ExperimentRefs {
  private readonly steps = new Map<string, StepKind>();
  private readonly probes = new Set<string>();
  private readonly heals: { readonly field: YamlField; readonly step: string }[] = [];

  constructor(readonly workloads: readonly string[]) {}

  addStep(field: YamlField, name: string, kind: StepKind): void {
    if (name === 'all') field.fail("'all' is reserved (heal: all heals every fault); choose another step name");
    if (this.steps.has(name)) field.fail(`duplicate step name '${name}'; step names are unique in an experiment`);
    this.steps.set(name, kind);
  }

  addProbe(nameField: YamlField, name: string): void {
    if (this.probes.has(name)) nameField.fail(`duplicate probe name '${name}'; probe names are unique across steadyState, safeguards and probe steps`);
    this.probes.add(name);
  }

  /** A `start:`/`stop:` value: the name of a declared workload. */
  checkWorkload(field: YamlField, name: string): void {
    if (this.workloads.includes(name)) return;
    if (this.workloads.length === 0) field.fail(`no workload named '${name}'; the experiment declares no workloads (add a workloads: section)`);
    field.fail(`no workload named '${name}'${suggestion(name, this.workloads)}; workloads: ${this.workloads.join(', ')}`);
  }

  /** Remembers a `heal: <step name>`; checked once every step is known (a heal may name a later step). */
  addHeal(field: YamlField, step: string): void {
    this.heals.push({ field, step });
  }

  checkHeals(): void {
    for (const { field, step } of this.heals) {
      const kind = this.steps.get(step);
      const faults = [...this.steps].filter(([, k]) => k === 'fault').map(([n]) => n);
      if (kind === undefined) field.fail(`no fault step named '${step}'${suggestion(step, faults)}; name a fault step (name: ...) or write heal: all`);
      if (kind !== 'fault') field.fail(`step '${step}' is a ${kind} step; heal names a fault step`);
    }
  }
}
