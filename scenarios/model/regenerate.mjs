// Regenerates the replay files of the Workload1 model scenarios that are expected to fail:
// `npx tsc -p tsconfig.json && node scenarios/model/regenerate.mjs [name...]` from the repository root.
// For each scenario it searches schedules (PCT, then random, bounded) for one whose violation matches the
// scenario's replay pattern, shrinks it when the shrunk schedule still shows the same message class,
// and writes scenarios/model/<name>.schedule.json (replay: faultline model replay <name> --schedule <file>).
import { executeRun, findModel, listModels, makeStrategy, modelVersion, saveSchedule, shrinkSchedule, SCHEDULE_FORMAT } from '../../dist/src/model/index.js';

/** Which violation the replay file shows, when the scenario can fail in several ways. */
const REPLAY_PATTERN = {
  'workload1-f4': 'duplicated at outbound Kafka', // P learning #5
  'workload1-f4-idempotent': 'never got past inbound Kafka',
  'workload1-f4-random': 'never got past source',
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
  const model = findModel(entry.name).build({});
  const pattern = new RegExp(REPLAY_PATTERN[entry.name] ?? entry.expectedViolation);
  const found = search(model, pattern);
  if (found === undefined) throw new Error(`${entry.name}: no schedule matching ${pattern}`);
  let { choices, run } = found;
  const s = shrinkSchedule(model, choices, run.violation, { maxSteps: model.maxSteps, timeLimitMs: SHRINK_TIME_LIMIT_MS });
  const shrunk = pattern.test(s.violation.message) && s.choices.length < choices.length;
  if (shrunk) {
    choices = s.choices;
    run = { steps: s.steps, faults: s.faults, violation: s.violation };
  }
  const v = run.violation;
  saveSchedule(entry.replayFile, {
    format: SCHEDULE_FORMAT,
    model: entry.name,
    params: {},
    modelVersion: modelVersion(model, {}),
    maxSteps: model.maxSteps,
    choices,
    steps: run.steps,
    faults: run.faults,
    violation: { kind: v.kind, source: v.source, message: v.message },
    origin: { strategy: found.strategyName, seed: 1, scheduleIndex: found.index, runSeed: found.runSeed, shrunk },
  });
  console.log(`${entry.name}: ${found.strategyName} schedule ${found.index}, ${run.steps} steps${shrunk ? ' (shrunk)' : ''}: ${v.message.slice(0, 160)}`);
}
