/**
 * Which row of the Kafka replication model (src/model/models/kafka-replication.ts) a scenario is: its acks
 * mode, min.insync.replicas and leader fault, or why the model does not cover it. The model has one partition
 * on three brokers, one producer that sends each write once (no retries, not idempotent), clean leader
 * election only, and at most one fault on the leader: a crash, a cut from everyone, or a cut from the quorum.
 */
import type { Acks, KafkaFault } from '../model/models/kafka-replication.js';
import type { ScenarioCluster, ScenarioTopic, ScheduledFault, Scenario } from '../scenario/scenario.js';

/** The model's replicas (and brokers); a scenario with other numbers is not modelled. */
const MODEL_REPLICAS = 3;

export interface KafkaModelRow {
  readonly acks: Acks;
  readonly minInsyncReplicas: number;
  readonly fault: KafkaFault;
  /** The scenario's producers as against the model's one: 'one producer', '10 producers', 'slow producer (2/s)'. */
  readonly producerShape: string;
}

export type KafkaModelMapping = { readonly modelled: true; readonly row: KafkaModelRow } | { readonly modelled: false; readonly reason: string };

const notModelled = (reason: string): KafkaModelMapping => ({ modelled: false, reason });

/** The model row of a scenario, or the first reason it has none. */
export function kafkaModelRow(scenario: Scenario): KafkaModelMapping {
  const { workload } = scenario;
  if (workload.kind !== 'produce' && workload.kind !== 'slow-produce') return notModelled(`a ${workload.kind} workload; the model has one plain producer`);
  if (workload.idempotent) return notModelled('an idempotent producer; the model producer is not idempotent');
  if (workload.retries !== 0) return notModelled(`producer retries ${workload.retries ?? "left to the client's default"}; the model producer sends each write once (retries 0)`);
  const shapeProblem = topologyProblem(scenario.cluster, scenario.topic);
  if (shapeProblem !== null) return notModelled(shapeProblem);
  const minIsr = minInsyncReplicas(scenario.cluster, scenario.topic);
  if (typeof minIsr === 'string') return notModelled(minIsr);
  const fault = modelFault(scenario);
  if (!fault.modelled) return notModelled(fault.reason);
  const producerShape = workload.kind === 'slow-produce' ? `slow producer (${workload.rateMsgsPerSec}/s)` : workload.producers === 1 ? 'one producer' : `${workload.producers} producers`;
  return { modelled: true, row: { acks: workload.acks, minInsyncReplicas: minIsr, fault: fault.fault, producerShape } };
}

function topologyProblem(cluster: ScenarioCluster, topic: ScenarioTopic): string | null {
  if (cluster.brokers !== MODEL_REPLICAS || topic.replicationFactor !== MODEL_REPLICAS) {
    return `${cluster.brokers} brokers, replication factor ${topic.replicationFactor}; the model has ${MODEL_REPLICAS} replicas on ${MODEL_REPLICAS} brokers`;
  }
  if (topic.partitions !== 1) return `${topic.partitions} partitions; the model has one`;
  const unclean = topic.config['unclean.leader.election.enable'] ?? cluster.settings['unclean.leader.election.enable'];
  if (unclean === 'true') return 'unclean leader election enabled; the model elects only from the ISR';
  return null;
}

/** The topic's min.insync.replicas, else the brokers', else Kafka's default 1; a string when the model cannot take it. */
function minInsyncReplicas(cluster: ScenarioCluster, topic: ScenarioTopic): number | string {
  const raw = topic.config['min.insync.replicas'] ?? cluster.settings['min.insync.replicas'] ?? '1';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MODEL_REPLICAS) return `min.insync.replicas '${raw}'; the model takes 1 to ${MODEL_REPLICAS}`;
  return value;
}

type FaultMapping = { readonly modelled: true; readonly fault: KafkaFault } | { readonly modelled: false; readonly reason: string };

/** The scenario's one fault as the model's: none, leader-crash, leader-isolated or leader-quorum-isolated. */
function modelFault(scenario: Scenario): FaultMapping {
  if (scenario.faults.length === 0) return { modelled: true, fault: 'none' };
  if (scenario.faults.length > 1) return { modelled: false, reason: `${scenario.faults.length} faults; the model fires one` };
  const scheduled = scenario.faults[0] as ScheduledFault;
  const fault = scheduled.fault;
  const unsupported: FaultMapping = {
    modelled: false,
    reason: `a ${fault.kind} fault; the model has a kill of the partition's leader, or a partition cutting the leader from all nodes or from the metadata quorum`,
  };
  if (fault.target === 'job' || fault.target?.kind !== 'leader' || fault.target.topic !== scenario.topic.name) return unsupported;
  if (fault.kind === 'kill') return { modelled: true, fault: 'leader-crash' };
  if (fault.kind !== 'partition' || fault.oneWay === true || fault.clients === true) return unsupported;
  const from = fault.from ?? 'all';
  if (from === 'all') return { modelled: true, fault: 'leader-isolated' };
  if ((from === 'zookeeper' && scenario.cluster.metadata === 'zookeeper') || (from === 'controllers' && scenario.cluster.metadata !== 'zookeeper')) {
    return { modelled: true, fault: 'leader-quorum-isolated' };
  }
  return unsupported;
}
