import type { RuleLine } from '../net/iptables.js';
import type { TcpProxyOptions } from '../net/tcp-proxy-options.js';
import type { DetachedProxy } from '../net/tcp-proxy-process.js';
import type { ExecResult } from '../util/exec.js';
import type { NodeRunState } from './cluster-state.js';
import type { PauseResult, ResumeResult, StartResult, StopHow, StopResult } from './node-control.js';
import type { NodePlan } from './topology.js';

/**
 * Where the nodes run. 'local': one JVM per node on this machine, each in its own network namespace; 'ssh': one
 * node per host reached over SSH (docs/ssh.md). The state file records it; files written before the field existed are local.
 */
export type ProviderKind = 'local' | 'ssh';
export const PROVIDER_KINDS: readonly ProviderKind[] = ['local', 'ssh'];

/** What a node's process is doing now, as observed (not as recorded). */
export interface NodeObservation {
  /** The node's process exists (and is the node's, not a reused pid). */
  readonly alive: boolean;
  /** Alive and stopped by SIGSTOP. */
  readonly paused: boolean;
  /** What the state file says. */
  readonly recorded: NodeRunState;
}

/** A fill-disk on one node: what was written and what is left. */
export interface DiskFill {
  readonly filledBytes: number;
  readonly freeBytesAfter: number;
}

export interface NodeCommandOptions {
  readonly timeoutMs?: number;
  readonly input?: string;
}

/**
 * What the nemesis, the workloads and the runner need from "where the nodes run". Nodes are named by their
 * node name (n1, c2, zk); network rules are keyed by the node whose tables hold them. A restart is a stop and a
 * start, composed by the caller (the journal marks the period between them).
 */
export interface ClusterProvider {
  readonly kind: ProviderKind;
  /** Every node with its role, Kafka id and address, as recorded. */
  nodes(): readonly NodePlan[];
  /** The clients' bootstrap list (host:port,...). */
  bootstrap(): string;
  /** The address the nodes see the workload clients come from (partitions from `clients` cut it). */
  clientAddress(): string;
  /** Starts a stopped node with its data (or lets a paused one go); resolves once it logged its start. */
  startNode(name: string, timeoutMs?: number): Promise<StartResult>;
  /** SIGKILL, or SIGTERM escalating to SIGKILL after the grace period. */
  stopNode(name: string, how: StopHow, graceTimeoutMs?: number): Promise<StopResult>;
  /** SIGSTOP; resolves once the process is stopped. */
  pauseNode(name: string): Promise<PauseResult>;
  /** SIGCONT; resolves once the process runs. */
  resumeNode(name: string): Promise<ResumeResult>;
  /** Undefined when no such node is recorded. */
  observeNode(name: string): Promise<NodeObservation | undefined>;
  /** Runs a command where the node runs (its namespace, its host); never throws for a non-zero exit. */
  runOnNode(name: string, argv: readonly string[], options?: NodeCommandOptions): Promise<ExecResult>;
  /** Applies tagged rules, all of one node's in one step; nodes in parallel. */
  applyRules(rulesByNode: ReadonlyMap<string, readonly RuleLine[]>): Promise<void>;
  /** Deletes the rules tagged with this fault (every faultline rule without one) on these nodes; returns how many. */
  sweepRules(nodes: readonly string[], faultId?: string): Promise<number>;
  /** Fills the node's data directory to the last byte. */
  fillDisk(name: string): Promise<DiskFill>;
  /** Removes the fill file; false when there was none. */
  freeDisk(name: string): Promise<boolean>;
  /** The last `lines` lines of the node's log. */
  readLog(name: string, lines: number): Promise<string>;
  /** A file under the node's data directory (e.g. KRaft's quorum-state); undefined when it is not there. */
  readDataFile(name: string, relativePath: string): Promise<string | undefined>;
  /**
   * Starts a degrade proxy where the node runs (its namespace, its host), listening on every address on a free port
   * and forwarding to `options.targetHost:targetPort`; tagged with the fault (an SSH host stops it by itself when the
   * fault's undo expires). Resolves once it listens.
   */
  startProxy(name: string, options: TcpProxyOptions, faultId: string): Promise<DetachedProxy>;
  /** Stops a proxy startProxy started (SIGTERM, then SIGKILL); false when it was gone already. */
  stopProxy(name: string, pid: number, faultId: string): Promise<boolean>;
  /** What a crashed faultline may have left on the nodes unregistered (fill files, paused nodes, ...); returns what it undid. */
  sweepLeftovers(): Promise<string[]>;
}
