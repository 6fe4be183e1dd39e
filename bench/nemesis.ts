import { pathToFileURL } from 'node:url';
import { clusterDown, clusterUp } from '../src/cluster/local-cluster.js';
import type { ClusterUpOptions } from '../src/cluster/cluster-options.js';
import { withAdmin } from '../src/kafka/admin.js';
import { healFault, injectFault, parseFault } from '../src/nemesis/index.js';
import type { FaultRequest } from '../src/nemesis/index.js';
import { sleep } from '../src/util/time.js';
import { writeBenchResult } from './write-result.js';

/** The benchmark times faults; it keeps no fault events. */
const DISCARD_EVENTS = {
  events: (): void => {
    // Dropped on purpose.
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
}

/**
 * Time from the fault call to the fault being in effect (observed: the process gone or stopped, the rules
 * applied), and from heal to healed; on a real 3-node KRaft cluster. Goal: under 50 ms for kill, pause and
 * partition. A kill's heal is a JVM start, so it takes seconds by nature. `upOptions` chooses the provider (bench/ssh-faults.ts
 * runs it on SSH lab hosts too).
 */
export async function runNemesisBench(rounds = 5, upOptions: ClusterUpOptions = { provider: 'local' }): Promise<Record<string, unknown>> {
  await clusterDown();
  const cluster = await clusterUp({ brokers: 3, ...upOptions });
  await withAdmin(cluster.bootstrap, (admin) => admin.createTopic({ name: 'bench', partitions: 1, replicationFactor: 3 }));
  await sleep(2000);
  const cases: Record<string, FaultRequest> = Object.fromEntries(Object.entries({
    'kill broker:3': { kind: 'kill', target: 'broker:3' },
    'kill leader:bench (target resolved from every broker)': { kind: 'kill', target: 'leader:bench' },
    'pause broker:2': { kind: 'pause', target: 'broker:2' },
    'partition broker:1 --from all': { kind: 'partition', target: 'broker:1', from: 'all' },
    'partition leader:bench --from controllers': { kind: 'partition', target: 'leader:bench', from: 'controllers' },
  }).map(([name, spec]) => [name, parseFault(spec)]));
  const results: Record<string, unknown> = {};
  try {
    for (const [name, request] of Object.entries(cases)) {
      const inEffect: number[] = [];
      const healed: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const fault = await injectFault(request, DISCARD_EVENTS);
        inEffect.push(fault.tookMs);
        const heal = await healFault(fault.id, DISCARD_EVENTS);
        healed.push(heal.tookMs);
        await sleep(request.kind === 'kill' ? 3000 : 300);
      }
      results[name] = { inEffectMs: inEffect.map((v) => Math.round(v * 10) / 10), inEffectMedianMs: median(inEffect), healMs: healed.map((v) => Math.round(v)), healMedianMs: median(healed) };
    }
  } finally {
    await clusterDown();
  }
  return { goalMs: 50, rounds, faults: results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeBenchResult('nemesis', await runNemesisBench());
}
