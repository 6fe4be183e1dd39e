import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AddressPlan } from '../net/address-plan.js';
import { createNodeNamespace, ensureBridge } from '../net/namespace.js';
import { throwIfInterrupted } from '../util/interrupt.js';
import type { ClusterState, NodeState } from './cluster-state.js';
import { mountDataDir } from './data-mount.js';
import type { KafkaDistribution } from './kafka-distribution.js';
import { formatKraftStorage } from './kraft-storage.js';
import { renderKafkaConfig, renderLog4j1Config, renderLog4j2Config, renderZooKeeperConfig } from './node-config.js';

/**
 * Writes a node's logging and server configuration into `intoDir` (the node's folder, or a staging copy of it
 * for another host: the files name the node's own paths either way); a KRaft node also gets its formatted storage.
 */
export async function writeNodeFiles(state: ClusterState, dist: KafkaDistribution, node: NodeState, intoDir = node.dir): Promise<void> {
  mkdirSync(join(intoDir, relative(node.dir, node.dataDir)), { recursive: true });
  writeFileSync(join(intoDir, 'log4j2.properties'), renderLog4j2Config());
  writeFileSync(join(intoDir, 'log4j.properties'), renderLog4j1Config());
  const configFile = join(intoDir, relative(node.dir, node.configFile));
  if (node.role === 'zookeeper') {
    writeFileSync(configFile, renderZooKeeperConfig(node, node.dataDir));
    return;
  }
  writeFileSync(configFile, renderKafkaConfig({ mode: state.mode, node, nodes: state.nodes, dataDir: node.dataDir, settings: state.settings }));
  if (state.mode !== 'zookeeper') await formatKraftStorage(dist, join(intoDir, relative(node.dir, node.dataDir)), node.id, state.clusterId);
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
    await writeNodeFiles(state, dist, node);
  }
}
