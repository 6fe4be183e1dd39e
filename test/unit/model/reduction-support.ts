import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  checkScheduleVersion,
  findModel,
  loadSchedule,
  modelVersion,
  replaySchedule,
  resolveParams,
  saveSchedule,
  violationSignature,
  type ModelDef,
  type ModelEntry,
  type SavedSchedule,
  type Violation,
} from '../../../src/model/index.js';

/**
 * As `model replay --schedule FILE` does: the shrunk schedule saved, loaded, its model rebuilt from the saved
 * parameters, the version checked, and the replay failing the same way in `steps` steps.
 */
export function assertSavedScheduleReplays(entry: ModelEntry, shrunk: SavedSchedule, violation: Violation, steps: number, dir: string): void {
  const file = join(dir, `${entry.name}.json`);
  saveSchedule(file, shrunk);
  const loaded = loadSchedule(file);
  const rebuiltParams = resolveParams(findModel(loaded.model), loaded.params);
  const rebuilt = entry.build(rebuiltParams);
  assert.equal(checkScheduleVersion(loaded, modelVersion(rebuilt, rebuiltParams), file), 'same', entry.name);
  const again = replaySchedule(rebuilt, loaded);
  assert.ok(again.violation !== undefined, `${entry.name}: the replay fails`);
  assert.equal(violationSignature(again.violation), violationSignature(violation), entry.name);
  assert.equal(again.violation.message, loaded.violation?.message, entry.name);
  assert.equal(again.steps, steps, entry.name);
}

/** Every reduction the model offers, and theirs, down to `depth` levels. */
export function reductionTree(model: ModelDef, depth: number): { params: Readonly<Record<string, string>>; model: ModelDef }[] {
  if (depth === 0) return [];
  return (model.reductions?.() ?? []).flatMap((r) => {
    const smaller = r.build();
    return [{ params: r.params, model: smaller }, ...reductionTree(smaller, depth - 1).map((c) => ({ ...c, params: { ...r.params, ...c.params } }))];
  });
}
