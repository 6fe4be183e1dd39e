/**
 * The Workload1 model scenarios: P's tests (TestWorkload1, F1-F4, Failover) with P's fault timing and
 * with faults at random points of batch 2, the idempotent variants, the ordering checks (learning #4)
 * and the planted bug. Each states what a check finds (see test/unit/model/workload1-scenarios.test.ts).
 */
import type { ModelDef } from '../model.js';
import type { ModelEntry } from './registry.js';
import { workload1SizeParams, workload1SizesFromParams } from './workload1-sizes.js';
import { WORKLOAD1_DEFAULTS, workload1Model, type Workload1Options, type Workload1Test } from './workload1.js';

interface Workload1Scenario {
  readonly name: string;
  readonly description: string;
  readonly overrides: Partial<Workload1Options>;
  readonly expect: 'pass' | 'violation';
  /** A regular expression the violation message matches. */
  readonly expectedViolation?: string;
}

const P_TESTS: readonly [Workload1Test, string][] = [
  ['base', 'TestWorkload1: 1 batch of 50 records, no failure'],
  ['f1', 'TestWorkload1F1FailContainer: processor container of region 1 failed, then recovered'],
  ['f2', 'TestWorkload1F2FailDatabase: the shared processor MongoDB failed, then it and both processors recovered'],
  ['f3', 'TestWorkload1F3FailKafka: outbound Kafka of region 1 failed, then it and processor 1 recovered'],
  ['f4', 'TestWorkload1F4FailRandom: 1-8 of the 8 region-1 components failed, all recovered, batch 2 re-published if it failed'],
  ['failover', 'TestWorkload1Failover: region 1 taken offline in both DNS, the three databases switched to region 2'],
];

const DESTINATION_DUPLICATE = 'duplicated at destination';
const NOT_DELIVERED = 'not delivered';
/** PCT can starve the driver while the destination polls a failed Kafka in a loop (P has no back-off either). */
const POLLING_LIVELOCK = 'the run hit its step bound';

/**
 * What a check of each scenario finds (a regular expression over the violation message); scenarios
 * not listed pass. Why each one fails is in docs/modelling.md section 7.
 */
const VIOLATIONS: Readonly<Record<string, string>> = {
  // The destination's removal is lost with outbound Kafka 1, the out-DNS still answers success, the batch is read again.
  'workload1-f3': `${DESTINATION_DUPLICATE}|${POLLING_LIVELOCK}`,
  'workload1-f3-random': `${DESTINATION_DUPLICATE}|${POLLING_LIVELOCK}`,
  workload1: `${DESTINATION_DUPLICATE}|${POLLING_LIVELOCK}`,
  'workload1-f3-random-routing': `${DESTINATION_DUPLICATE}|${POLLING_LIVELOCK}`,
  // Learning #5 (inbound Kafka fails before the processor's removal), the destination duplicate, and a
  // processor recovered before its inbound Kafka answered, left in FailedDependency.
  'workload1-f4': `duplicated at outbound Kafka|${DESTINATION_DUPLICATE}|never got past inbound Kafka`,
  'workload1-f4-random': `${NOT_DELIVERED}|duplicated at`,
  // Idempotent: no duplicate any more, the stuck processor and the unrecovered region-2 containers remain.
  'workload1-f4-idempotent': NOT_DELIVERED,
  'workload1-f4-random-idempotent': NOT_DELIVERED,
  'workload1-f4-no-republish': 'never got past source',
  // After failover the destination's region-1 and region-2 readers both read outbound Kafka 2.
  'workload1-failover': DESTINATION_DUPLICATE,
  'workload1-failover-random': `${NOT_DELIVERED}|${DESTINATION_DUPLICATE}`,
  // Learning #4.
  'workload1-base-ordered': '^order: ',
  'workload1-broken': 'never got past processor MongoDB',
  'workload1-broken-random': 'never got past processor MongoDB',
};

function scenarios(): Workload1Scenario[] {
  const out: Workload1Scenario[] = [];
  for (const [test, what] of P_TESTS) {
    out.push({ name: `workload1-${test}`, description: `${what} (P timing)`, overrides: { test }, expect: 'pass' });
    if (test !== 'base') out.push({ name: `workload1-${test}-random`, description: `${what}; faults at a random point of batch 2`, overrides: { test, timing: 'random' }, expect: 'pass' });
  }
  out.push(
    { name: 'workload1-f4-idempotent', description: 'F4 with an idempotent pipeline: Kafka and the destination drop record ids they already hold (P timing)', overrides: { test: 'f4', dedupe: 'idempotent' }, expect: 'pass' },
    { name: 'workload1-f4-random-idempotent', description: 'F4 with an idempotent pipeline; faults at a random point of batch 2', overrides: { test: 'f4', timing: 'random', dedupe: 'idempotent' }, expect: 'pass' },
    { name: 'workload1-f4-no-republish', description: 'F4 without re-publishing a batch the source could not finish (P learning #6)', overrides: { test: 'f4', republish: false }, expect: 'pass' },
    { name: 'workload1-base-ordered', description: 'base test, active-active, order per key checked at the destination (P learning #4)', overrides: { test: 'base', orderKeys: ORDER_KEYS }, expect: 'pass' },
    { name: 'workload1-active-passive-ordered', description: 'base test, active-passive (all records through region 1), order per key checked', overrides: { test: 'base', routing: 'active-passive', orderKeys: ORDER_KEYS }, expect: 'pass' },
    { name: 'workload1-f3-random-routing', description: 'F3 with 60/40 random in-DNS routing and one record per Kafka batch (the earlier model)', overrides: { test: 'f3', routing: 'random', kafkaBatch: 1 }, expect: 'pass' },
    { name: 'workload1-broken', description: 'planted bug: the processor removes from inbound Kafka before sending to outbound Kafka; F3 (must be caught)', overrides: { test: 'f3', broken: true }, expect: 'pass' },
    { name: 'workload1-broken-random', description: 'the planted bug with F3 faults at a random point of batch 2', overrides: { test: 'f3', timing: 'random', broken: true }, expect: 'pass' },
    { name: 'workload1', description: 'alias of workload1-f3', overrides: { test: 'f3' }, expect: 'pass' },
  );
  return out.map((s) => {
    const violation = VIOLATIONS[s.name];
    return violation === undefined ? s : { ...s, expect: 'violation', expectedViolation: violation };
  });
}

/** Keys for the order check: odd, so strict alternation sends consecutive ids of a key to different regions. */
const ORDER_KEYS = 5;

const REPLAY_DIR = 'scenarios/model';

export const WORKLOAD1_SCENARIOS: readonly ModelEntry[] = scenarios().map((s) => {
  const o = { ...WORKLOAD1_DEFAULTS, ...s.overrides };
  const defaults = { batchSize: o.batchSize, kafkaBatch: o.kafkaBatch, orderKeys: o.orderKeys };
  return {
    name: s.name,
    description: s.description,
    expect: s.expect,
    ...(s.expectedViolation !== undefined ? { expectedViolation: s.expectedViolation, replayFile: `${REPLAY_DIR}/${s.name}.schedule.json` } : {}),
    // The sizes: the shrinker's reductions set them, so a replay rebuilds the smaller model.
    params: workload1SizeParams(defaults),
    build: (p): ModelDef => workload1Model(s.name, s.description, { ...s.overrides, ...workload1SizesFromParams(s.name, o.routing, p, defaults) }),
  };
});
