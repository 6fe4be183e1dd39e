import { queueSettings, type QueueScenarioWorkload } from './scenario.js';
import type { YamlField, YamlMapReader } from './yaml-field.js';
import { CONSUMER_MODES, queueOptionProblems, type QueueMix } from '../workload/queue/queue-options.js';
import { ISOLATION_MODES } from '../workload/read-back.js';

export const QUEUE_WORKLOAD_KEYS = [
  'kind', 'processes', 'opsPerProcess', 'fullOpsPerProcess', 'rateOpsPerSec', 'mix', 'transactional', 'isolation',
  'consumerMode', 'maxSendsPerOp', 'abortProbability', 'crashProbability', 'callTimeoutMs', 'drainTimeoutMs',
];
const MIX_KEYS = ['send', 'poll', 'txn'] as const;

const DEFAULT_PROCESSES = 3;
const DEFAULT_MAX_SENDS_PER_OP = 3;
const DEFAULT_MIX: QueueMix = { send: 1, poll: 1, txn: 0 };

/** What the workload's validator needs besides the workload section: the scenario's topic. */
export interface QueueWorkloadContext {
  readonly topic: string;
  readonly partitions: number;
  readonly seed: number;
}

function readMix(field: YamlField | undefined): QueueMix {
  if (!field) return DEFAULT_MIX;
  const map = field.map().only(MIX_KEYS);
  const weight = (key: (typeof MIX_KEYS)[number]): number => map.optional(key)?.number() ?? 0;
  return { send: weight('send'), poll: weight('poll'), txn: weight('txn') };
}

/**
 * Reads a `kind: queue` workload: types here, sizes and combinations by the workload's own validator
 * (queueOptionProblems, on the scaled and the full sizes), each problem positioned at the key it names.
 */
export function readQueueWorkload(map: YamlMapReader, context: QueueWorkloadContext): QueueScenarioWorkload {
  map.only(QUEUE_WORKLOAD_KEYS);
  const opsPerProcess = map.required('opsPerProcess').number();
  const transactional = map.optional('transactional')?.boolean() ?? false;
  const callTimeoutMs = map.optional('callTimeoutMs')?.number();
  const drainTimeoutMs = map.optional('drainTimeoutMs')?.number();
  const workload: QueueScenarioWorkload = {
    kind: 'queue',
    processes: map.optional('processes')?.number() ?? DEFAULT_PROCESSES,
    opsPerProcess,
    fullOpsPerProcess: map.optional('fullOpsPerProcess')?.number() ?? opsPerProcess,
    rateOpsPerSec: map.required('rateOpsPerSec').number(),
    mix: readMix(map.optional('mix')),
    transactional,
    isolation: map.optional('isolation')?.oneOf(ISOLATION_MODES, 'isolation level') ?? (transactional ? 'read_committed' : 'read_uncommitted'),
    consumerMode: map.optional('consumerMode')?.oneOf(CONSUMER_MODES, 'consumer mode') ?? 'assign',
    maxSendsPerOp: map.optional('maxSendsPerOp')?.number() ?? DEFAULT_MAX_SENDS_PER_OP,
    abortProbability: map.optional('abortProbability')?.number() ?? 0,
    crashProbability: map.optional('crashProbability')?.number() ?? 0,
    ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
    ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}),
  };
  checkQueueLimits(map, workload, context);
  return workload;
}

/** The workload's validator on the scaled and the full size; the first problem fails at the key it names. */
function checkQueueLimits(map: YamlMapReader, workload: QueueScenarioWorkload, context: QueueWorkloadContext): void {
  const options = queueSettings(workload);
  const sizes = [
    { opsPerProcess: workload.opsPerProcess, key: 'opsPerProcess' },
    { opsPerProcess: workload.fullOpsPerProcess, key: map.has('fullOpsPerProcess') ? 'fullOpsPerProcess' : 'opsPerProcess' },
  ];
  for (const { opsPerProcess, key } of sizes) {
    const [problem] = queueOptionProblems({ ...options, opsPerProcess, topic: context.topic, partitions: context.partitions, seed: context.seed, group: 'faultline' });
    if (!problem) continue;
    const path = (problem.field === 'opsPerProcess' ? key : problem.field).split('.');
    map.owner.descend(path).fail(problem.message);
  }
}
