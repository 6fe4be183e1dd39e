// Regenerates the replay files of the Workload1 model scenarios that are expected to fail:
// `npx tsc -p tsconfig.json && node scenarios/model/regenerate.mjs [name...]` from the repository root.
// For each scenario it searches schedules (PCT, then random, bounded) for one whose violation matches the
// scenario's replay pattern, shrinks it when the shrunk schedule still shows the same message class,
// and writes scenarios/model/<name>.schedule.json (replay: faultline model replay <name> --schedule <file>).
// As `model check` does, the file holds the parameters of the model the shrunk schedule runs on: the
// shrinker may have moved it to a smaller model (fewer records per batch), which a replay rebuilds.
import { executeRun, listModels, makeStrategy, modelVersion, resolveParams, saveSchedule, shrinkSchedule, SCHEDULE_FORMAT } from '../../dist/src/model/index.js';

/** Which violation the replay file shows, when the scenario can fail in several ways. */
const REPLAY_PATTERN = {
  'workload1-f4': 'duplicated at outbound Kafka', // P learning #5
  'workload1-f4-idempotent': 'never got past inbound Kafka',
  'workload1-f4-random': 'never got past source',
  // Not the livelock (the run hit its step bound): found first, it keeps the full model's 32,000 steps
  // when no smaller model livelocks within the shrink's search (see docs/modelling.md section 5).
  'workload1-f3-random': 'duplicated at destination',
  'workload1-f3-random-routing': 'duplicated at destination',
  'workload1-failover-random': 'not delivered',
};
const MAX_SCHEDULES = 20_000;
const SHRINK_TIME_LIMIT_MS = 20_000;

function search(model, pattern) {
  for (const strategyName of ['pct', 'random']) {
    const strategy = makeStrategy(strategyName, 1, model.maxSteps);
    const buffer = [];
    for (let i = 0; i < MAX_SCHEDULES; i++) {
      strategy.beginRun(i);
      const r = executeRun(model, strategy, { maxSteps: model.maxSteps, choiceBuffer: buffer });
      strategy.endRun();
      if (r.violation !== undefined && pattern.test(r.violation.message)) {
        return { strategyName, index: i, runSeed: strategy.runSeed, run: r, choices: buffer.slice() };
      }
    }
  }
  return undefined;
}

const wanted = process.argv.slice(2);
for (const entry of listModels()) {
  if (entry.expect !== 'violation' || entry.replayFile === undefined) continue;
  if (wanted.length > 0 && !wanted.includes(entry.name)) continue;
  const defaults = resolveParams(entry, {});
  const model = entry.build(defaults);
  const pattern = new RegExp(REPLAY_PATTERN[entry.name] ?? entry.expectedViolation);
  const found = search(model, pattern);
  if (found === undefined) throw new Error(`${entry.name}: no schedule matching ${pattern}`);
  let { choices, run } = found;
  let saved = { model, params: defaults, maxSteps: model.maxSteps };
  const s = shrinkSchedule(model, choices, run.violation, { maxSteps: model.maxSteps, timeLimitMs: SHRINK_TIME_LIMIT_MS });
  const shrunk = pattern.test(s.violation.message) && s.steps < run.steps;
  if (shrunk) {
    choices = s.choices;
    run = { steps: s.steps, faults: s.faults, violation: s.violation };
    saved = { model: s.model, params: { ...defaults, ...s.params }, maxSteps: s.maxSteps };
  }
  const v = run.violation;
  saveSchedule(entry.replayFile, {
    format: SCHEDULE_FORMAT,
    model: entry.name,
    params: saved.params,
    modelVersion: modelVersion(saved.model, saved.params),
    maxSteps: saved.maxSteps,
    choices,
    steps: run.steps,
    faults: run.faults,
    violation: { kind: v.kind, source: v.source, message: v.message },
    origin: { strategy: found.strategyName, seed: 1, scheduleIndex: found.index, runSeed: found.runSeed, shrunk },
  });
  const from = shrunk ? ` (shrunk from ${found.run.steps}${s.reductions.length > 0 ? `, ${s.reductions.join(', ')}` : ''})` : '';
  console.log(`${entry.name}: ${found.strategyName} schedule ${found.index}, ${run.steps} steps${from}: ${v.message.slice(0, 160)}`);
}
