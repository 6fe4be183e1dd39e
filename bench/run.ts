import { writeBenchResult } from './write-result.js';
import { runClusterBench } from './cluster.js';
import { runNemesisBench } from './nemesis.js';
import { runProducerBench } from './producer.js';
import { runCheckerBench } from './checker.js';
import { runModelBench } from './model.js';
import { runNetBench } from './net.js';
import { runProbesBench } from './probes.js';
import { runQueueBench } from './queue.js';
import { runPipelineBench } from './pipeline.js';
import { runPipelineJobsBench, runSparkRecoveryBench } from './pipeline-jobs.js';
import { runWindowBench } from './window.js';
import { runSshBench } from './ssh.js';
import { runSshFaultsBench } from './ssh-faults.js';

/**
 * `npm run bench`: every benchmark in turn (never two Kafka clusters at once on 2 cores); each writes
 * bench/results/<name>.json. Pass names to run a subset: `npm run bench -- cluster model`.
 */
const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  cluster: () => runClusterBench(),
  nemesis: () => runNemesisBench(),
  producer: () => runProducerBench(),
  checker: () => runCheckerBench(),
  model: () => runModelBench(),
  net: () => runNetBench(),
  probes: () => runProbesBench(),
  queue: () => runQueueBench(),
  pipeline: () => runPipelineBench(),
  'pipeline-jobs': () => runPipelineJobsBench(),
  'pipeline-spark-recovery': () => runSparkRecoveryBench(),
  window: () => runWindowBench(),
  ssh: () => runSshBench(),
  'ssh-faults': () => runSshFaultsBench(),
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in benches)) {
    process.stderr.write(`unknown benchmark '${name}'; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
}
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`bench ${name}...\n`);
  writeBenchResult(name, await run());
}
