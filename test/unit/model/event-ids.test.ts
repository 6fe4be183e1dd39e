import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineMachine, defineMonitor, eventIds, executeRun, ReplayStrategy, type MachineRef, type ModelDef } from '../../../src/model/index.js';

// A ping-pong whose pinger sends, times and announces by id and the ponger replies by name: both must act alike.
type PongerEvents = { Ping: { n: number; replyTo: MachineRef<PingerEvents> } };
type PingerEvents = { Pong: { n: number }; Start: undefined };
type SpecEvents = { Ponged: { n: number } };
const Ev = eventIds<PongerEvents & PingerEvents & SpecEvents>({ Ping: true, Pong: true, Start: true, Ponged: true });

const Ponger = defineMachine<PongerEvents>()({
  name: 'Ponger',
  start: 'Up',
  vars: () => ({}),
  states: { Up: { on: { Ping: (ctx, p) => ctx.send(p.replyTo, 'Pong', { n: p.n }) } } },
});

const Pinger = defineMachine<PingerEvents>()({
  name: 'Pinger',
  start: 'Init',
  vars: (init: { ponger: MachineRef<PongerEvents> }) => init,
  states: {
    Init: {
      entry: (ctx) => {
        ctx.startTimer(5, Ev.Start, undefined);
      },
      on: {
        Start: (ctx) => ctx.send(ctx.vars.ponger, Ev.Ping, { n: 1, replyTo: ctx.self }),
        Pong: (ctx, p) => ctx.announce(Ev.Ponged, { n: p.n }),
      },
    },
  },
});

const seen: number[] = [];
const Spec = defineMonitor<SpecEvents>()({
  name: 'Spec',
  start: 'Watching',
  vars: () => ({}),
  states: { Watching: { on: { Ponged: (_ctx, p) => seen.push(p.n) } } },
});

function pingPong(): ModelDef {
  return {
    name: 'ping-pong-ids',
    description: '',
    maxSteps: 100,
    setup(ctx) {
      ctx.monitor(Spec);
      const ponger = ctx.create(Ponger, undefined, 'Ponger');
      ctx.create(Pinger, { ponger }, 'Pinger');
    },
  };
}

test('eventIds: distinct ids, one per event, and the same id for a name listed again', () => {
  const ids = [Ev.Ping, Ev.Pong, Ev.Start, Ev.Ponged];
  assert.equal(new Set(ids).size, 4);
  for (const id of ids) assert.ok(Number.isInteger(id) && id >= 0);
  assert.deepEqual(eventIds<PingerEvents>({ Pong: true, Start: true }), { Pong: Ev.Pong, Start: Ev.Start });
});

test('sends, timers and announcements by id deliver, and trace by name, like the names do', () => {
  seen.length = 0;
  const strategy = new ReplayStrategy([]);
  strategy.beginRun();
  const r = executeRun(pingPong(), strategy, { maxSteps: 100, trace: true });
  assert.equal(r.outcome, 'quiescent');
  assert.equal(r.violation, undefined);
  assert.deepEqual(seen, [1]);
  const events = (r.trace ?? []).filter((e) => e.kind === 'send' || e.kind === 'timer' || e.kind === 'announce').map((e) => `${e.kind} ${e.event ?? ''}`);
  assert.deepEqual(events, ['timer Start', 'send Ping', 'send Pong', 'announce Ponged']);
});

test('eventIds: every event of the map must be listed (a compile-time check)', () => {
  // @ts-expect-error Start is missing
  const partial = eventIds<PingerEvents>({ Pong: true });
  assert.equal(partial.Pong, Ev.Pong);
});
