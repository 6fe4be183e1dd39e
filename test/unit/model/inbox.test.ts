import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eventName, internEvent } from '../../../src/model/event-ids.js';
import { Inbox } from '../../../src/model/inbox.js';

/** Events 0-3; events 2 and 3 are "deferred" when taking behind deferred messages. */
const DEFER: boolean[] = [false, false, true, true];

type Op = { readonly kind: 'push'; readonly ev: number } | { readonly kind: 'take' } | { readonly kind: 'takeDeferring' } | { readonly kind: 'clear' };

// More pushes than takes and rare clears, so inboxes wrap around and grow (past 8, 16, 32 messages) with the head anywhere.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 0, max: 3 }).map((ev): Op => ({ kind: 'push', ev })) },
  { weight: 12, arbitrary: fc.constant<Op>({ kind: 'take' }) },
  { weight: 6, arbitrary: fc.constant<Op>({ kind: 'takeDeferring' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'clear' }) },
);

/** Takes the message at `at` from both the inbox and the array model and checks they agree. */
function take(inbox: Inbox, model: { ev: number; payload: object }[], at: number, modelAt: number): void {
  assert.equal(inbox.eventAt(at), model[modelAt]?.ev);
  assert.equal(inbox.payloadAt(at), model[modelAt]?.payload);
  inbox.remove(at);
  model.splice(modelAt, 1);
}

test('the ring-buffer inbox behaves like an array through pushes, takes from the head and from behind deferred messages, growth and clears', () => {
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 100, maxLength: 400 }), (ops) => {
      const inbox = new Inbox();
      const model: { ev: number; payload: object }[] = [];
      for (const op of ops) {
        if (op.kind === 'push') {
          const payload = { ev: op.ev };
          inbox.push(op.ev, payload);
          model.push({ ev: op.ev, payload });
        } else if (op.kind === 'take' && model.length > 0) {
          take(inbox, model, inbox.head, 0);
        } else if (op.kind === 'takeDeferring') {
          const at = inbox.firstNotIn(DEFER);
          const modelAt = model.findIndex((m) => DEFER[m.ev] !== true);
          assert.equal(at < 0, modelAt < 0);
          if (at >= 0) take(inbox, model, at, modelAt);
        } else if (op.kind === 'clear') {
          inbox.clear();
          model.length = 0;
        }
        assert.equal(inbox.size, model.length);
      }
      // Everything left comes out in order.
      while (model.length > 0) take(inbox, model, inbox.head, 0);
      assert.equal(inbox.size, 0);
    }),
    { numRuns: 300 },
  );
});

test('a taken message no longer holds its payload', () => {
  const inbox = new Inbox();
  const payload = { big: 'payload' };
  inbox.push(0, payload);
  inbox.push(1, { other: true });
  const at = inbox.head;
  inbox.remove(at);
  assert.equal(inbox.payloadAt(at), undefined);
});

test('event ids: one id per name, the same id on every call, names with the same cache slot kept apart', () => {
  // Same length and same characters at the hashed positions (length, n/4, n/2, last), so they share a cache slot.
  const names = ['EvtXaaaaZ', 'EvtYaaaaZ', 'EvtXaaaaZ'];
  const ids = names.map((n) => internEvent(n));
  assert.equal(ids[0], ids[2]);
  assert.notEqual(ids[0], ids[1]);
  for (let round = 0; round < 3; round++) for (const [i, n] of names.entries()) assert.equal(internEvent(n), ids[i]);
  assert.equal(eventName(ids[1] as number), 'EvtYaaaaZ');
  // A name built at run time (not the same string object) finds the same id.
  assert.equal(internEvent(['Evt', 'XaaaaZ'].join('')), ids[0]);
  // The empty name is a name like any other (an empty cache slot holds '').
  const empty = internEvent('');
  assert.ok(empty >= 0);
  assert.equal(internEvent(''), empty);
  assert.equal(eventName(empty), '');
});

test('event ids: many names (more than the cache holds) keep distinct, stable ids', () => {
  const many = Array.from({ length: 700 }, (_, i) => `Many${i}Event`);
  const first = many.map((n) => internEvent(n));
  assert.equal(new Set(first).size, many.length);
  assert.deepEqual(many.map((n) => internEvent(n)), first);
  for (const [i, n] of many.entries()) assert.equal(eventName(first[i] as number), n);
});
