/**
 * Fault latency over SSH next to the local provider's, in one run: the nemesis benchmark (bench/nemesis.ts) on
 * a local 3-node cluster, then on 3 lab hosts (src/lab: namespaces with their own sshd, PID and mount
 * namespaces) through the SSH provider. Goal: under 50 ms to effect for signals and partitions over SSH.
 * Run: npm run bench -- ssh-faults → bench/results/ssh-faults.json
 */
import { clusterDetach } from '../src/cluster/ssh/detach.js';
import { labDown, labUp } from '../src/lab/lab-hosts.js';
import { runNemesisBench } from './nemesis.js';

const ROUNDS = 5;

type FaultTimes = Record<string, { inEffectMedianMs: number }>;

export async function runSshFaultsBench(): Promise<Record<string, unknown>> {
  const local = await runNemesisBench(ROUNDS, { provider: 'local' });
  const lab = await labUp({ hosts: 3 });
  let ssh: Record<string, unknown>;
  try {
    ssh = await runNemesisBench(ROUNDS, { provider: 'ssh', ssh: { hosts: lab.hosts.map((h) => h.address), user: 'root', keyFile: lab.keyFile } });
  } finally {
    clusterDetach();
    await labDown();
  }
  const localFaults = local['faults'] as FaultTimes;
  const sshFaults = ssh['faults'] as FaultTimes;
  const ratios = Object.fromEntries(Object.keys(sshFaults).map((name) => {
    const over = sshFaults[name]?.inEffectMedianMs ?? 0;
    const here = localFaults[name]?.inEffectMedianMs ?? 0;
    return [name, { localMedianMs: here, sshMedianMs: over, sshOverLocal: here > 0 ? Math.round((over / here) * 10) / 10 : null, sshUnderGoal: over < 50 }];
  }));
  return { goalMs: 50, rounds: ROUNDS, inEffect: ratios, local, ssh };
}
