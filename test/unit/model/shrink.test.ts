import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkModel,
  defineMachine,
  defineMonitor,
  kafkaReplicationModel,
  replayChoices,
  shrinkSchedule,
  violationSignature,
  type KafkaReplicationOptions,
  type MachineRef,
  type ModelDef,
} from '../../../src/model/index.js';

// ---- a model whose random schedules carry detours the bug does not need ----
// The driver may fail three bystanders (faults), takes up to NOISE steps of ticks first, then picks a
// value 0-9 for the target, which asserts it is below 7: the bug needs one choice, a value of 7 or more.

const NOISE = 40;
type TargetEvents = { Go: { value: number } };
type DriverEvents = { Tick: { left: number } };

function detoursModel(): ModelDef {
  const Idle = defineMachine<Record<string, never>>()({ name: 'Bystander', start: 'Up', vars: () => ({}), states: { Up: {} } });
  const Target = defineMachine<TargetEvents>()({
    name: 'Target',
    start: 'Up',
    vars: () => ({}),
    states: { Up: { on: { Go: (ctx, p) => ctx.assert(p.value < 7, `value ${p.value} too big`) } } },
  });
  const Driver = defineMachine<DriverEvents>()({
    name: 'Driver',
    start: 'Run',
    vars: (init: { target: MachineRef<TargetEvents>; bystanders: MachineRef<Record<string, never>>[] }) => init,
    states: {
      Run: {
        entry(ctx) {
          for (const b of ctx.vars.bystanders) if (ctx.chooseBool(0.5)) ctx.faults.fail(b);
          let ticks = 0;
          for (let i = 0; i < NOISE; i++) if (ctx.chooseBool(0.5)) ticks++;
          ctx.send(ctx.self, 'Tick', { left: ticks });
        },
        on: {
          Tick(ctx, p) {
            if (p.left > 0) ctx.send(ctx.self, 'Tick', { left: p.left - 1 });
            else ctx.send(ctx.vars.target, 'Go', { value: ctx.choose(10) });
          },
        },
      },
    },
  });
  return {
    name: 'detours',
    description: '',
    maxSteps: 1000,
    setup(ctx) {
      const target = ctx.create(Target, undefined, 'Target');
      const bystanders = [0, 1, 2].map((i) => ctx.create(Idle, undefined, `Bystander${i}`));
      ctx.create(Driver, { target, bystanders }, 'Driver');
    },
  };
}

test('delta debugging over the schedule drops unneeded faults and detours and lowers the one needed choice', () => {
  const model = detoursModel();
  const r = checkModel(model, { strategy: 'random', schedules: 200, seed: 3 });
  const v = r.violation;
  assert.ok(v?.shrink !== undefined && v.shrunk !== undefined);
  assert.ok(v.shrink.original.faults > 0, 'the random schedule failed bystanders');
  assert.equal(v.shrink.faults, 0);
  assert.ok(2 * v.shrink.steps <= v.shrink.original.steps, `${v.shrink.original.steps} -> ${v.shrink.steps} steps`);
  // The simplest failing value is kept: 7, the smallest that fails.
  assert.equal(v.violation.message, 'value 7 too big');
  assert.deepEqual(v.shrink.reductions, []);
  const again = replayChoices(model, v.shrunk.choices, v.shrunk.maxSteps);
  assert.equal(again.violation?.message, 'value 7 too big');
  assert.equal(again.steps, v.shrink.steps);
});

test('shrinking stays within its replay budget and still returns a failing schedule', () => {
  const model = detoursModel();
  const r = checkModel(model, { strategy: 'random', schedules: 200, seed: 3, shrink: false });
  const v = r.violation;
  assert.ok(v !== undefined);
  const s = shrinkSchedule(model, v.schedule.choices, v.violation, { maxSteps: 1000, maxAttempts: 25 });
  assert.ok(s.attempts <= 25, `${s.attempts} attempts`);
  const again = replayChoices(s.model, s.choices, s.maxSteps);
  assert.equal(again.violation === undefined ? '' : violationSignature(again.violation), violationSignature(v.violation));
});

test('violation signatures blank numbers, ids and ranges but keep the cause', () => {
  const a = { kind: 'liveness', source: 'Spec', message: 'ended in hot state Pending: 10 of 150 not delivered: records 50-59,70 never got past processor MongoDB' } as const;
  const b = { ...a, message: 'ended in hot state Pending: 1 of 3 not delivered: records 1 never got past processor MongoDB' };
  const c = { ...a, message: 'ended in hot state Pending: 1 of 3 not delivered: records 1 never got past inbound Kafka' };
  assert.equal(violationSignature(a), violationSignature(b));
  assert.notEqual(violationSignature(a), violationSignature(c));
  assert.notEqual(violationSignature(a), violationSignature({ ...b, kind: 'safety' }));
});

// ---- the Kafka model offers smaller versions of itself (fewer writes, an earlier final read) ----

const LEADER_ISOLATED: Partial<KafkaReplicationOptions> = { acks: '1', minInsyncReplicas: 1, fault: 'leader-isolated' };

/** kafka-acks1-leader-isolated (seed 001 scenario 4) of the given sizes. */
function kafkaLeaderIsolated(sizes: Partial<KafkaReplicationOptions> = {}): ModelDef {
  return kafkaReplicationModel({ ...LEADER_ISOLATED, ...sizes }, 'kafka-acks1-leader-isolated');
}

test('a failing Kafka schedule shrinks to at most half its steps on a smaller model, and replays to the same violation', () => {
  const r = checkModel(kafkaLeaderIsolated(), { strategy: 'random', schedules: 100, seed: 1 });
  const v = r.violation;
  assert.ok(v?.shrink !== undefined && v.shrunk !== undefined);
  assert.match(v.schedule.violation?.message ?? '', /acknowledged writes lost/);
  assert.ok(2 * v.shrink.steps <= v.shrink.original.steps, `${v.shrink.original.steps} -> ${v.shrink.steps} steps`);
  assert.ok(v.shrink.faults <= v.shrink.original.faults);
  assert.ok(v.shrink.reductions.length > 0);
  // The saved schedule names the smaller model's parameters; rebuilt from them, it fails the same way.
  const params = v.shrunk.params;
  assert.ok(Number(params['check-at-ms']) < 90 && Number(params['writes']) < 30, JSON.stringify(params));
  const rebuilt = kafkaLeaderIsolated({ writes: Number(params['writes']), checkAtMs: Number(params['check-at-ms']) });
  const again = replayChoices(rebuilt, v.shrunk.choices, v.shrunk.maxSteps);
  assert.ok(again.violation !== undefined);
  assert.equal(violationSignature(again.violation), violationSignature(v.violation));
  assert.equal(again.steps, v.shrunk.steps);
  // Without reductions the steps cannot halve: the run length is the model's.
  const plain = checkModel(kafkaLeaderIsolated(), { strategy: 'random', schedules: 100, seed: 1, shrinkReductions: false });
  assert.ok(plain.violation?.shrink !== undefined && 2 * plain.violation.shrink.steps > plain.violation.shrink.original.steps);
});

// ---- Mermaid: participants are the machines, messages arrows, faults notes ----

type ClientEvents = { Ack: undefined };
type StoreEvents = { Put: { from: MachineRef<ClientEvents> } };

function storeModel(): ModelDef {
  const Store = defineMachine<StoreEvents>()({ name: 'Store', start: 'Up', vars: () => ({}), states: { Up: { on: { Put: (ctx, p) => ctx.send(p.from, 'Ack', undefined) } } } });
  const Spec = defineMonitor<{ Acked: undefined }>()({ name: 'AllAcked', start: 'Waiting', vars: () => ({}), states: { Waiting: { hot: true, on: { Acked: (ctx) => ctx.goto('Done') } }, Done: {} } });
  const Client = defineMachine<ClientEvents>()({
    name: 'Client',
    start: 'Run',
    vars: (init: { store: MachineRef<StoreEvents>; other: MachineRef<StoreEvents> }) => init,
    states: {
      Run: {
        entry(ctx) {
          ctx.send(ctx.vars.other, 'Put', { from: ctx.self });
          ctx.faults.fail(ctx.vars.store);
          ctx.send(ctx.vars.store, 'Put', { from: ctx.self });
        },
        on: { Ack: () => undefined },
      },
    },
  });
  return {
    name: 'store',
    description: '',
    maxSteps: 100,
    setup(ctx) {
      ctx.monitor(Spec);
      const store = ctx.create(Store, undefined, 'Store');
      const other = ctx.create(Store, undefined, 'Mirror');
      ctx.create(Client, { store, other }, 'Client');
    },
  };
}

test('the Mermaid diagram of a shrunk trace: machines as participants, every message an arrow, the fault and the violation as notes', () => {
  const r = checkModel(storeModel(), { strategy: 'random', schedules: 5, seed: 1 });
  const v = r.violation;
  assert.ok(v !== undefined);
  const lines = v.mermaid.split('\n');
  assert.equal(lines[0], 'sequenceDiagram');
  const participants = new Map<string, string>();
  for (const line of lines) {
    const m = /^ {4}participant (p\d+) as (.+)$/.exec(line);
    if (m !== null) participants.set(m[2] ?? '', m[1] ?? '');
  }
  assert.deepEqual([...participants.keys()].sort(), ['AllAcked', 'Client', 'Mirror', 'Store']);
  const alias = (name: string): string => participants.get(name) ?? assert.fail(`no participant ${name}`);
  // Each delivered message of the trace is one solid arrow, in order; the one to the failed store a cross.
  const arrows = lines.filter((l) => /^ {4}p\d+-(>>|x)p\d+: /.test(l));
  const messages = v.trace.filter((e) => e.kind === 'send' || e.kind === 'drop');
  assert.deepEqual(
    arrows,
    messages.map((e) => `    ${alias(e.machine)}${e.kind === 'send' ? '->>' : '-x'}${alias(e.target ?? '')}: ${e.event ?? ''}${e.detail !== undefined ? ` ${e.detail.replace(/[;#]/g, ',')}` : ''}${e.kind === 'drop' ? ' (dropped)' : ''}`),
  );
  assert.ok(arrows.some((l) => l.startsWith(`    ${alias('Client')}-x${alias('Store')}: Put`)));
  const faultNote = new RegExp(`^ {4}Note over ${alias('Store')}: FAULT fail Store \\(step \\d+, 0ms\\)$`);
  const fault = lines.findIndex((l) => faultNote.test(l));
  assert.ok(fault > 0 && lines[fault - 1] === '    rect rgb(255, 210, 210)' && lines[fault + 1] === '    end');
  assert.match(lines.at(-2) ?? '', new RegExp(`^ {4}Note over ${alias('AllAcked')}: VIOLATION liveness: AllAcked ended in hot state Waiting`));
});
