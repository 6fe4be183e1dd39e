import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic } from '../util/json-file.js';
import { faultlineHome } from '../util/paths.js';
import { FaultlineError } from '../errors.js';
import type { MetadataMode, NodePlan } from './topology.js';
import type { ClusterOwner } from './cluster-owner.js';
import type { ProviderKind } from './provider.js';
import type { SshClusterInfo } from './ssh/ssh-cluster-info.js';

export type NodeRunState = 'running' | 'stopped' | 'paused';

export interface NodeState extends NodePlan {
  readonly namespace: string;
  readonly hostVeth: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly configFile: string;
  readonly logFile: string;
  /** Part of the JVM command line (-Dfaultline.node=...) that proves a pid is still this node. */
  readonly marker: string;
  pid: number;
  state: NodeRunState;
  /** An attached node's command line as found on its host (`cluster attach`): how it is started again. */
  readonly argv?: readonly string[];
}

export interface ClusterState {
  readonly formatVersion: 1;
  status: 'starting' | 'running' | 'stopping';
  readonly createdAt: string;
  readonly clusterId: string;
  readonly mode: MetadataMode;
  readonly kafkaVersion: string;
  readonly libDir: string;
  readonly dir: string;
  readonly addressPrefix: string;
  readonly bridge: string;
  readonly bootstrap: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly heapMb: number;
  readonly diskMb: number;
  /** Who started it; absent in state files written before owners were recorded (read as started by hand). */
  readonly owner?: ClusterOwner;
  /** Where the nodes run; absent in state files written before providers were recorded (read as 'local'). */
  readonly provider?: ProviderKind;
  /** The SSH provider's hosts and how it reaches them; absent for the local provider. */
  readonly ssh?: SshClusterInfo;
  nodes: NodeState[];
}

/** The one local cluster lives under $FAULTLINE_HOME/cluster; its state file is how every later command finds it. */
export function clusterDir(): string {
  return join(faultlineHome(), 'cluster');
}

export function clusterStatePath(): string {
  return join(faultlineHome(), 'cluster.json');
}

export function readClusterState(): ClusterState | undefined {
  return readJsonFile(clusterStatePath(), 'cluster state file', "run 'faultline cluster down' to clean up (it finds the node processes without it)") as ClusterState | undefined;
}

/** Requires a cluster; the message tells the user how to get one. */
export function requireClusterState(): ClusterState {
  const state = readClusterState();
  if (!state) throw new FaultlineError(`no local cluster is running (no ${clusterStatePath()}); start one with 'faultline cluster up'`);
  return state;
}

/** Atomic write: a crash never leaves a half-written state file. */
export function writeClusterState(state: ClusterState): void {
  writeJsonFileAtomic(clusterStatePath(), state);
}

export function removeClusterState(): void {
  rmSync(clusterStatePath(), { force: true });
}

export function findNode(state: ClusterState, nameOrId: string): NodeState {
  const node = state.nodes.find((n) => n.name === nameOrId || (n.role !== 'zookeeper' && String(n.id) === nameOrId));
  if (!node) throw new FaultlineError(`no node '${nameOrId}' in the cluster; nodes: ${state.nodes.map((n) => `${n.name} (id ${n.id})`).join(', ')}`, 2);
  return node;
}
