import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyTreeToHost } from '../../ssh/copy-tree.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import type { ClusterState, NodeState } from '../cluster-state.js';
import type { KafkaDistribution } from '../kafka-distribution.js';
import { writeNodeFiles } from '../node-setup.js';
import { scriptAnswer } from './remote-hosts.js';

/** Marks a complete copy of the jars on a host (written last, so a cut copy is done again). */
const COMPLETE_MARK = '.faultline-complete';

/** Where the jars of a Kafka version live on every host. */
export function remoteLibDir(remoteDir: string, version: string): string {
  return `${remoteDir}/kafka/${version}/libs`;
}

/** Copies the cached jars to the host unless a complete copy is there: the host needs no internet. Returns whether it copied. */
export async function installKafka(host: RemoteRunner, dist: KafkaDistribution, remoteDir: string): Promise<boolean> {
  const libDir = remoteLibDir(remoteDir, dist.version);
  const present = await scriptAnswer(host, 'checking the Kafka jars', '[ -e "$1/$2" ] && echo yes || echo no', [libDir, COMPLETE_MARK]);
  if (present === 'yes') return false;
  await scriptAnswer(host, 'clearing a partial copy', 'rm -rf "$1" && mkdir -p "$1" && echo ok', [libDir]);
  await copyTreeToHost(host, dist.libDir, libDir);
  await scriptAnswer(host, 'marking the jars complete', 'touch "$1/$2" && echo ok', [libDir, COMPLETE_MARK]);
  return true;
}

/** Replaces the node's folder on its host by a fresh one with its configuration (and formatted KRaft storage). */
export async function installNodeFiles(host: RemoteRunner, state: ClusterState, dist: KafkaDistribution, node: NodeState): Promise<void> {
  const staging = mkdtempSync(join(tmpdir(), `faultline-${node.name}-`));
  try {
    await writeNodeFiles(state, dist, node, staging);
    await scriptAnswer(host, `clearing ${node.dir}`, 'rm -rf "$1" && mkdir -p "$1/logs" && echo ok', [node.dir]);
    await copyTreeToHost(host, staging, node.dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
