import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressPlan } from '../net/address-plan.js';
import { createNodeNamespace, ensureBridge } from '../net/namespace.js';
import { throwIfInterrupted } from '../util/interrupt.js';
import type { ClusterState, NodeState } from './cluster-state.js';
import { mountDataDir } from './data-mount.js';
import type { KafkaDistribution } from './kafka-distribution.js';
import { formatKraftStorage } from './kraft-storage.js';
import { renderKafkaConfig, renderLog4j1Config, renderLog4j2Config, renderZooKeeperConfig } from './node-config.js';

/** Writes a node's logging and server configuration; a KRaft node also gets its formatted storage. */
async function writeNodeConfig(state: ClusterState, dist: KafkaDistribution, node: NodeState): Promise<void> {
  writeFileSync(join(node.dir, 'log4j2.properties'), renderLog4j2Config());
  writeFileSync(join(node.dir, 'log4j.properties'), renderLog4j1Config());
  if (node.role === 'zookeeper') {
    writeFileSync(node.configFile, renderZooKeeperConfig(node, node.dataDir));
    return;
  }
  writeFileSync(node.configFile, renderKafkaConfig({ mode: state.mode, node, nodes: state.nodes, dataDir: node.dataDir, settings: state.settings }));
  if (state.mode !== 'zookeeper') await formatKraftStorage(dist, node.dataDir, node.id, state.clusterId);
}

/**
 * Makes everything the nodes need before any starts: the bridge, then per node its folders, its tmpfs data
 * directory, its namespace and its configuration. Checks `signal` between nodes.
 */
export async function setUpNodes(state: ClusterState, plan: AddressPlan, dist: KafkaDistribution, signal: AbortSignal | undefined): Promise<void> {
  await ensureBridge(plan);
  for (const node of state.nodes) {
    throwIfInterrupted(signal, 'cluster start-up');
    mkdirSync(join(node.dir, 'logs'), { recursive: true });
    mkdirSync(node.dataDir, { recursive: true });
    await mountDataDir(node.dataDir, state.diskMb);
    await createNodeNamespace(plan, node.name, node.host);
    await writeNodeConfig(state, dist, node);
  }
}
