import { clusterDown, clusterUp } from '../src/cluster/local-cluster.js';
import { readClusterState } from '../src/cluster/cluster-state.js';
import { residentMemoryBytes } from '../src/util/process.js';
import { resolveKafkaDistribution, DEFAULT_KAFKA_VERSION } from '../src/cluster/kafka-distribution.js';
import { sleep } from '../src/util/time.js';
import { writeBenchResult } from './write-result.js';
import { pathToFileURL } from 'node:url';

/** `cluster up` with a warm jar cache (goal: under 10 s for 3 KRaft nodes) and each node's resident memory. */
export async function runClusterBench(rounds = 3): Promise<Record<string, unknown>> {
  await resolveKafkaDistribution(DEFAULT_KAFKA_VERSION);
  await clusterDown();
  const upMs: number[] = [];
  let memory: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await clusterUp({ brokers: 3, metadata: 'kraft' });
    upMs.push(Math.round(performance.now() - started));
    if (round === rounds - 1) {
      await sleep(5000); // let the JVMs settle before reading RSS
      memory = {};
      for (const node of readClusterState()?.nodes ?? []) memory[node.name] = Math.round((residentMemoryBytes(node.pid) ?? 0) / 1048576);
    }
    await clusterDown();
  }
  const sorted = [...upMs].sort((a, b) => a - b);
  return {
    kafkaVersion: DEFAULT_KAFKA_VERSION,
    topology: '3 KRaft combined nodes, 512 MiB heap each',
    clusterUpMs: upMs,
    clusterUpMedianMs: sorted[Math.floor(sorted.length / 2)],
    goalMs: 10_000,
    residentMemoryMiB: memory,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runClusterBench();
  writeBenchResult('cluster', result);
}
