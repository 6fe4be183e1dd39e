import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScheduleVersion, defineMachine, modelVersion, type ModelDef, type SavedSchedule, SCHEDULE_FORMAT } from '../../../src/model/index.js';
import { UsageError } from '../../../src/errors.js';

type Events = { Ping: undefined; Pong: undefined };

/** A one-machine model; `extraEvent` adds a handler, `extraState` a state: each a new model version. */
function model(options: { extraEvent?: boolean; extraState?: boolean; version?: string; maxSteps?: number } = {}): ModelDef {
  const on = options.extraEvent === true ? { Ping: () => undefined, Pong: () => undefined } : { Ping: () => undefined };
  const Plain = defineMachine<Events>()({ name: 'M', start: 'Up', vars: () => ({}), states: { Up: { on } } });
  const TwoStates = defineMachine<Events>()({ name: 'M', start: 'Up', vars: () => ({}), states: { Up: { on }, Down: {} } });
  return {
    name: 'm',
    description: '',
    maxSteps: options.maxSteps ?? 10,
    ...(options.version !== undefined ? { version: options.version } : {}),
    setup(ctx) {
      if (options.extraState === true) ctx.create(TwoStates, undefined, 'M');
      else ctx.create(Plain, undefined, 'M');
    },
  };
}

test('a model version is stable for the same structure and changes with states, events, bounds, parameters and the version string', () => {
  const v = modelVersion(model(), {});
  assert.match(v, /^[0-9a-f]{12}$/);
  assert.equal(modelVersion(model(), {}), v, 'rebuilt: same version');
  const others = [
    modelVersion(model({ extraEvent: true }), {}),
    modelVersion(model({ extraState: true }), {}),
    modelVersion(model({ maxSteps: 11 }), {}),
    modelVersion(model(), { writes: '5' }),
  ];
  for (const o of others) assert.notEqual(o, v);
  assert.equal(new Set(others).size, others.length);
  assert.match(modelVersion(model({ version: '2' }), {}), /^2\+[0-9a-f]{12}$/);
});

test('checkScheduleVersion: same version passes, another is a UsageError naming the file and both versions, none is unversioned', () => {
  const schedule: SavedSchedule = { format: SCHEDULE_FORMAT, model: 'm', modelVersion: 'aaa', params: {}, maxSteps: 10, choices: [], steps: 0, faults: 0 };
  assert.equal(checkScheduleVersion(schedule, 'aaa', 'f.json'), 'same');
  assert.throws(
    () => checkScheduleVersion(schedule, 'bbb', 'f.json'),
    (e: unknown) => e instanceof UsageError && /^f\.json: .*model 'm' version aaa, but this model is version bbb/.test(e.message),
  );
  assert.equal(checkScheduleVersion({ ...schedule, modelVersion: undefined }, 'bbb', 'f.json'), 'unversioned');
});
