import { UsageError } from '../errors.js';
import type { AddressPlan } from '../net/address-plan.js';

export type MetadataMode = 'kraft' | 'kraft-dedicated' | 'zookeeper';
export const METADATA_MODES: readonly MetadataMode[] = ['kraft', 'kraft-dedicated', 'zookeeper'];

export type NodeRole = 'broker+controller' | 'broker' | 'controller' | 'zookeeper';

/** One process of the cluster, with where it lives on the network. */
export interface NodePlan {
  /** Short unique name, also used in namespace and veth names: n1.., c1.., zk. */
  readonly name: string;
  /** Kafka node.id / broker.id; 0 for ZooKeeper. */
  readonly id: number;
  readonly role: NodeRole;
  readonly host: string;
  /** Client port (9092 for brokers, 2181 for ZooKeeper); controller-only nodes listen on 9093. */
  readonly port: number;
}

export const BROKER_PORT = 9092;
export const CONTROLLER_PORT = 9093;
export const ZOOKEEPER_PORT = 2181;
/** The provider's limit on brokers per cluster (addresses .11...19); scenarios and the CLI use this one constant. */
export const MAX_BROKERS = 9;

export function parseMetadataMode(raw: string): MetadataMode {
  if ((METADATA_MODES as readonly string[]).includes(raw)) return raw as MetadataMode;
  throw new UsageError(`metadata: expected one of ${METADATA_MODES.join(', ')}, got '${raw}'`);
}

/** Plans nodes: brokers are ids 1..N at .11.., dedicated controllers ids 101..103 at .101.., ZooKeeper at .2. */
export function planTopology(plan: AddressPlan, mode: MetadataMode, brokerCount: number): NodePlan[] {
  if (!Number.isInteger(brokerCount) || brokerCount < 1 || brokerCount > MAX_BROKERS) {
    throw new UsageError(`brokers: expected 1..${MAX_BROKERS}, got ${brokerCount}`);
  }
  const nodes: NodePlan[] = [];
  if (mode === 'zookeeper') nodes.push({ name: 'zk', id: 0, role: 'zookeeper', host: `${plan.prefix}.2`, port: ZOOKEEPER_PORT });
  if (mode === 'kraft-dedicated') {
    for (let k = 1; k <= 3; k++) nodes.push({ name: `c${k}`, id: 100 + k, role: 'controller', host: `${plan.prefix}.${100 + k}`, port: CONTROLLER_PORT });
  }
  for (let id = 1; id <= brokerCount; id++) {
    nodes.push({ name: `n${id}`, id, role: mode === 'kraft' ? 'broker+controller' : 'broker', host: `${plan.prefix}.${10 + id}`, port: BROKER_PORT });
  }
  return nodes;
}

export function isBroker(node: Pick<NodePlan, 'role'>): boolean {
  return node.role === 'broker' || node.role === 'broker+controller';
}

export function isController(node: Pick<NodePlan, 'role'>): boolean {
  return node.role === 'controller' || node.role === 'broker+controller';
}
