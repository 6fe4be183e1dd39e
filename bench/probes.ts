import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireClusterState } from '../src/cluster/cluster-state.js';
import { clusterDown, clusterUp } from '../src/cluster/local-cluster.js';
import { withAdmin } from '../src/kafka/admin.js';
import { Run } from '../src/history/run.js';
import { ProbeMemory, parseProbe, type ProbeSpec } from '../src/experiment/probes/index.js';
import { ProbeLoop } from '../src/experiment/runner/probe-phase.js';
import { runProduceWorkload } from '../src/workload/produce-workload.js';
import { writeBenchResult } from './write-result.js';

/** The probes of a typical experiment's steady state, each at 1 Hz (a `during` probe's shortest usual interval). */
const PROBE_INTERVAL_MS = 1000;

function probeSpecs(topic: string): ProbeSpec[] {
  const specs = [
    { name: 'healthy', kind: 'cluster-health', topics: [topic], mode: 'during', intervalMs: PROBE_INTERVAL_MS },
    { name: 'view', kind: 'topic-view', topic, mode: 'during', intervalMs: PROBE_INTERVAL_MS },
    { name: 'round-trip', kind: 'round-trip', topic: 'probe-rt', mode: 'during', intervalMs: PROBE_INTERVAL_MS },
  ];
  return specs.map((spec, i) => parseProbe(spec, ['steadyState', i]));
}

/** One producer round at full speed into a fresh topic, with or without the probes running beside it. */
async function produceRound(bootstrap: string, runsRoot: string, name: string, records: number, withProbes: boolean): Promise<{ msgsPerSec: number; probeRuns: number }> {
  await withAdmin(bootstrap, (admin) => admin.createTopic({ name, partitions: 3, replicationFactor: 3 }));
  const run = Run.create(runsRoot, { run: name, topic: name }, { markActive: false });
  const brokers = requireClusterState().nodes.filter((n) => n.role !== 'zookeeper' && n.role !== 'controller');
  const context = { bootstrap, brokers, cluster: requireClusterState, historyPath: run.historyPath, sink: run, memory: new ProbeMemory(), nowMs: () => run.elapsedMs() };
  const loop = new ProbeLoop({ context, run }, withProbes ? probeSpecs(name).map((spec) => ({ spec, intervalMs: PROBE_INTERVAL_MS })) : [], 'during');
  let msgsPerSec: number;
  try {
    loop.start();
    const summary = await runProduceWorkload({ bootstrap, topic: name, countPerProducer: records, rateMsgsPerSec: Infinity, acks: 'all', producers: 1, valueSizeBytes: 100, sink: run, maxInFlight: 100_000 });
    if (summary.delivered !== records) throw new Error(`${name}: delivered ${summary.delivered} of ${records}`);
    msgsPerSec = summary.deliveredPerSec;
  } finally {
    await loop.stop();
    await run.close();
  }
  return { msgsPerSec, probeRuns: countProbeRecords(run.historyPath) };
}

/** Probe results the round's journal holds (each probe run is one record). */
function countProbeRecords(historyPath: string): number {
  return readFileSync(historyPath, 'utf8').split('\n').filter((line) => line.includes('"kind":"probe"')).length;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * The experiment runner's own cost: producer throughput (acks=all, 100-byte values, full speed, every op in a
 * real journal) with three steady-state probes at 1 Hz running beside it, against the same producer without
 * probes, on the same cluster in the same run, alternating which goes first. Goal: ratio >= 0.95.
 */
export async function runProbesBench(records = 300_000, rounds = 3): Promise<Record<string, unknown>> {
  await clusterDown();
  const cluster = await clusterUp({ brokers: 3 });
  const runsRoot = mkdtempSync(join(tmpdir(), 'faultline-bench-probes-'));
  const without: number[] = [];
  const withProbes: number[] = [];
  const probeRuns: number[] = [];
  try {
    await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'probe-rt', partitions: 1, replicationFactor: 3 }));
    for (let round = 0; round < rounds; round++) {
      for (const probes of round % 2 === 0 ? [false, true] : [true, false]) {
        const result = await produceRound(cluster.bootstrap, runsRoot, `${probes ? 'probes' : 'plain'}-${round}`, records, probes);
        (probes ? withProbes : without).push(Math.round(result.msgsPerSec));
        if (probes) probeRuns.push(result.probeRuns);
      }
    }
  } finally {
    await clusterDown();
    rmSync(runsRoot, { recursive: true, force: true });
  }
  return {
    records,
    rounds,
    probes: 'cluster-health, topic-view, round-trip; each every 1000 ms',
    withoutProbesMsgsPerSec: without,
    withProbesMsgsPerSec: withProbes,
    probeRunsPerRound: probeRuns,
    ratioOfMedians: Math.round((median(withProbes) / median(without)) * 100) / 100,
    ratioBestOfEach: Math.round((Math.max(...withProbes) / Math.max(...without)) * 100) / 100,
    goalRatio: 0.95,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeBenchResult('probes', await runProbesBench());
}
