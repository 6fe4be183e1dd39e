import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterDown, clusterUp } from '../src/cluster/local-cluster.js';
import { resolveKafkaDistribution, DEFAULT_KAFKA_VERSION } from '../src/cluster/kafka-distribution.js';
import { withAdmin } from '../src/kafka/admin.js';
import { JournalWriter } from '../src/history/journal-writer.js';
import { runProduceWorkload } from '../src/workload/produce-workload.js';
import { runProducerPerformance } from '../src/peer/producer-performance.js';
import { writeToolLogConfig } from '../src/peer/java-tool.js';
import { writeBenchResult } from './write-result.js';

/**
 * Producer throughput, acks=all, 100-byte values: our producer with per-message accounting (every
 * invoke and ok written to a real journal file) next to Kafka's own ProducerPerformance, on the same
 * cluster in the same run, alternating, each on a fresh topic. Goal: ratio >= 1.0.
 */
export async function runProducerBench(records = 200_000, rounds = 2): Promise<Record<string, unknown>> {
  const dist = await resolveKafkaDistribution(DEFAULT_KAFKA_VERSION);
  await clusterDown();
  const cluster = await clusterUp({ brokers: 3 });
  const work = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const logConfig = writeToolLogConfig(work, dist.major);
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const ourTopic = `ours-${round}`;
      const theirTopic = `theirs-${round}`;
      await withAdmin(cluster.bootstrap, async (admin) => {
        await admin.createTopic({ name: ourTopic, partitions: 3, replicationFactor: 3 });
        await admin.createTopic({ name: theirTopic, partitions: 3, replicationFactor: 3 });
      });
      const journal = JournalWriter.open(join(work, `history-${round}.jsonl`));
      const summary = await runProduceWorkload({
        bootstrap: cluster.bootstrap, topic: ourTopic, countPerProducer: records, rateMsgsPerSec: Infinity, acks: 'all', producers: 1, valueSizeBytes: 100,
        sink: journal, maxInFlight: 100_000,
      });
      await journal.close();
      if (summary.delivered !== records) throw new Error(`ours delivered ${summary.delivered} of ${records}`);
      ours.push(summary.deliveredPerSec);
      const perf = await runProducerPerformance({ dist, bootstrapServers: cluster.bootstrap, topic: theirTopic, numRecords: records, recordSizeBytes: 100, acks: 'all', logConfigFile: logConfig }, { timeoutMs: 300_000 });
      theirs.push(perf.recordsPerSec);
    }
  } finally {
    await clusterDown();
    rmSync(work, { recursive: true, force: true });
  }
  const best = (values: number[]) => Math.round(Math.max(...values));
  return {
    records,
    valueSizeBytes: 100,
    acks: 'all',
    topic: '3 partitions, replication factor 3',
    oursMsgsPerSec: ours.map(Math.round),
    producerPerformanceMsgsPerSec: theirs.map(Math.round),
    ratioBestOfEach: Math.round((best(ours) / best(theirs)) * 100) / 100,
    goalRatio: 1.0,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeBenchResult('producer', await runProducerBench());
}
