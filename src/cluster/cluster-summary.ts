import type { ClusterState } from './cluster-state.js';
import { ownerOf, type ClusterOwner } from './cluster-owner.js';
import { nodeIsAlive } from './node-process.js';
import type { MetadataMode } from './topology.js';

export interface NodeSummary {
  readonly id: number;
  readonly name: string;
  readonly role: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly state: 'running' | 'stopped' | 'paused' | 'dead';
  readonly logFile: string;
}

export interface ClusterSummary {
  readonly bootstrap: string;
  readonly mode: MetadataMode;
  readonly kafkaVersion: string;
  readonly clusterId: string;
  readonly createdAt: string;
  readonly dir: string;
  /** Who started the cluster (a suite replaces only clusters a suite started, unless told otherwise). */
  readonly owner: ClusterOwner;
  readonly nodes: NodeSummary[];
  /** Things the user should know that did not stop the command (e.g. a host whose commands start slowly). */
  readonly warnings?: readonly string[];
}

/** The recorded cluster as the user sees it: a local node whose process is gone shows as 'dead' (SSH nodes show as recorded). */
export function summarize(state: ClusterState): ClusterSummary {
  return {
    bootstrap: state.bootstrap,
    mode: state.mode,
    kafkaVersion: state.kafkaVersion,
    clusterId: state.clusterId,
    createdAt: state.createdAt,
    dir: state.dir,
    owner: ownerOf(state),
    nodes: state.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      role: n.role,
      host: n.host,
      port: n.port,
      pid: n.pid,
      state: n.state === 'stopped' || state.provider === 'ssh' ? n.state : nodeIsAlive(n) ? n.state : 'dead',
      logFile: n.logFile,
    })),
  };
}

/** True when some node of the recorded cluster still runs (or is paused); for SSH hosts, as recorded (no remote call). */
export function clusterIsAlive(state: ClusterState): boolean {
  if (state.provider === 'ssh') return state.nodes.some((n) => n.state !== 'stopped');
  return state.nodes.some((n) => nodeIsAlive(n));
}
