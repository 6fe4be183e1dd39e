import { providerOf } from '../cluster/provider-of.js';
import { FaultlineError, FieldError, UsageError, type FieldPath } from '../errors.js';
import type { ClusterState, NodeState } from '../cluster/cluster-state.js';
import { isBroker, isController } from '../cluster/topology.js';
import { withAdmin } from '../kafka/admin.js';
import { controllerIdView, describeTopicView } from '../kafka/topic-view.js';
import { SeededRandom } from '../util/seeded-random.js';

/**
 * What a fault hits, named by role and resolved when the fault fires:
 * broker:ID, node:NAME (or a bare id / name), leader:TOPIC[/P], follower:TOPIC[/P], controller,
 * coordinator:GROUP, random, all, zookeeper.
 */
export type Target =
  | { readonly kind: 'node'; readonly ref: string }
  | { readonly kind: 'leader' | 'follower'; readonly topic: string; readonly partition: number }
  | { readonly kind: 'controller' }
  | { readonly kind: 'coordinator'; readonly group: string }
  | { readonly kind: 'random' }
  | { readonly kind: 'all' }
  | { readonly kind: 'zookeeper' };

export const TARGET_SYNTAX = 'broker:ID, node:NAME, leader:TOPIC[/PARTITION], follower:TOPIC[/PARTITION], controller, coordinator:GROUP, random, all, zookeeper, or a node name/id';

/**
 * Parses the target syntax; a bad target is a FieldError at `path` (default the field `target`) that quotes
 * the input. Pure: roles are resolved later, when the fault fires (resolveTarget).
 */
export function parseTarget(raw: string, path: FieldPath = ['target']): Target {
  const fail = (reason: string): never => {
    throw new FieldError(path, reason);
  };
  const text = raw.trim();
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  switch (head) {
    case 'broker':
    case 'node':
      if (!rest) fail(`target '${raw}': ${head} needs an id or name (${head}:1)`);
      return { kind: 'node', ref: rest };
    case 'leader':
    case 'follower': {
      if (!rest) fail(`target '${raw}': ${head} needs a topic (${head}:TOPIC or ${head}:TOPIC/PARTITION)`);
      const slash = rest.lastIndexOf('/');
      const topic = slash < 0 ? rest : rest.slice(0, slash);
      const partitionText = slash < 0 ? '0' : rest.slice(slash + 1);
      if (!topic) fail(`target '${raw}': ${head} needs a topic before the '/'`);
      if (!/^\d+$/.test(partitionText) || !Number.isSafeInteger(Number(partitionText))) fail(`target '${raw}': partition must be a whole number, got '${partitionText}'`);
      return { kind: head, topic, partition: Number(partitionText) };
    }
    case 'controller':
    case 'random':
    case 'all':
    case 'zookeeper':
      if (rest) fail(`target '${raw}': ${head} takes no argument`);
      return { kind: head };
    case 'coordinator':
      if (!rest) fail(`target '${raw}': coordinator needs a consumer group (coordinator:GROUP)`);
      return { kind: 'coordinator', group: rest };
    default:
      if (colon < 0 && /^[a-z]*\d+$|^zk$/.test(text)) return { kind: 'node', ref: text };
      return fail(`unknown target '${raw}'; expected ${TARGET_SYNTAX}`);
  }
}

export function formatTarget(target: Target): string {
  switch (target.kind) {
    case 'node':
      return `node:${target.ref}`;
    case 'leader':
    case 'follower':
      return `${target.kind}:${target.topic}/${target.partition}`;
    case 'coordinator':
      return `coordinator:${target.group}`;
    default:
      return target.kind;
  }
}

function nodeByRef(state: ClusterState, ref: string): NodeState {
  const node = state.nodes.find((n) => n.name === ref || (n.role !== 'zookeeper' && String(n.id) === ref));
  if (!node) throw new UsageError(`no node '${ref}' in the cluster; nodes: ${state.nodes.map((n) => (n.role === 'zookeeper' ? n.name : `${n.name} (id ${n.id})`)).join(', ')}`);
  return node;
}

function brokerById(state: ClusterState, id: number, what: string): NodeState {
  const node = state.nodes.find((n) => isBroker(n) && n.id === id);
  if (!node) throw new FaultlineError(`${what} is broker ${id}, which is not a node of this cluster`);
  return node;
}

/** The active KRaft controller: the leader id with the highest epoch among the voters' quorum-state files. */
export async function activeKraftController(state: ClusterState): Promise<NodeState> {
  const provider = providerOf(state);
  const voters = state.nodes.filter(isController);
  const files = await Promise.all(voters.map((node) => provider.readDataFile(node.name, QUORUM_STATE_FILE).catch(() => undefined)));
  let best: { leaderId: number; epoch: number } | undefined;
  for (const text of files) {
    try {
      const quorum = JSON.parse(text ?? '') as { leaderId?: number; leaderEpoch?: number };
      const leaderId = quorum.leaderId ?? -1;
      const epoch = quorum.leaderEpoch ?? -1;
      if (leaderId >= 0 && (!best || epoch > best.epoch)) best = { leaderId, epoch };
    } catch {
      // a voter that has not written its state yet
    }
  }
  if (!best) throw new FaultlineError('no KRaft controller has been elected yet (no quorum-state names a leader)');
  const leaderId = best.leaderId;
  const node = state.nodes.find((n) => isController(n) && n.id === leaderId);
  if (!node) throw new FaultlineError(`the quorum names controller ${leaderId}, which is not a node of this cluster`);
  return node;
}

/** Where a KRaft voter keeps the quorum's leader and epoch, under its data directory. */
const QUORUM_STATE_FILE = '__cluster_metadata-0/quorum-state';

/** ZooKeeper mode: the controller broker, as the reachable brokers' metadata names it. */
async function zookeeperController(state: ClusterState): Promise<NodeState> {
  const id = await withLongerTimeouts((ms) => controllerIdView(state.nodes.filter(isBroker), ms));
  return brokerById(state, id, 'the controller');
}

/**
 * Metadata timeouts of the attempts to resolve a role: a busy machine can stall our event loop past a short
 * timeout (a timer firing before the answer already waiting on the socket), and a fault must not fail for that.
 */
const RESOLVE_TIMEOUTS_MS = [1000, 3000, 6000] as const;

async function withLongerTimeouts<T>(ask: (timeoutMs: number) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const timeoutMs of RESOLVE_TIMEOUTS_MS) {
    try {
      return await ask(timeoutMs);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      last = error;
    }
  }
  throw last;
}

export interface ResolveOptions {
  /** Seed for `random` and for choosing among followers. */
  readonly seed?: number;
}

/** Resolves a target to the node(s) that hold the role right now. */
export async function resolveTarget(state: ClusterState, target: Target, options: ResolveOptions = {}): Promise<NodeState[]> {
  switch (target.kind) {
    case 'node':
      return [nodeByRef(state, target.ref)];
    case 'all':
      return state.nodes.filter(isBroker);
    case 'zookeeper': {
      const zk = state.nodes.find((n) => n.role === 'zookeeper');
      if (!zk) throw new UsageError(`target zookeeper: this cluster runs in ${state.mode} mode, without ZooKeeper`);
      return [zk];
    }
    case 'random': {
      const brokers = state.nodes.filter(isBroker);
      const pick = new SeededRandom(options.seed ?? Date.now()).int(brokers.length);
      return [brokers[pick] as NodeState];
    }
    case 'controller':
      return [state.mode === 'zookeeper' ? await zookeeperController(state) : await activeKraftController(state)];
    case 'leader':
    case 'follower': {
      const partitions = (await withLongerTimeouts((ms) => describeTopicView(state.nodes.filter(isBroker), target.topic, ms))).partitions;
      const partition = partitions.find((p) => p.partition === target.partition);
      if (!partition) throw new UsageError(`topic ${target.topic} has no partition ${target.partition} (it has ${partitions.length})`);
      if (target.kind === 'leader') {
        if (partition.leader < 0) throw new FaultlineError(`${target.topic}/${target.partition} has no leader right now`);
        return [brokerById(state, partition.leader, `the leader of ${target.topic}/${target.partition}`)];
      }
      const followers = partition.isr.filter((id) => id !== partition.leader);
      const candidates = followers.length > 0 ? followers : partition.replicas.filter((id) => id !== partition.leader);
      if (candidates.length === 0) throw new FaultlineError(`${target.topic}/${target.partition} has no follower`);
      const pick = new SeededRandom(options.seed ?? 1).int(candidates.length);
      return [brokerById(state, candidates[pick] as number, `a follower of ${target.topic}/${target.partition}`)];
    }
    case 'coordinator': {
      const coordinatorId = await withAdmin(state.bootstrap, (admin) => admin.groupCoordinator(target.group));
      return [brokerById(state, coordinatorId, `the coordinator of group ${target.group}`)];
    }
  }
}
