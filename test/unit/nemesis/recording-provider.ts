import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterState } from '../../../src/cluster/cluster-state.js';
import { writeClusterState } from '../../../src/cluster/cluster-state.js';
import type { ClusterProvider, NodeObservation } from '../../../src/cluster/provider.js';
import type { RuleLine } from '../../../src/net/iptables.js';

/** The client address the recording provider reports: not the address plan's, so a test sees where it came from. */
export const CLIENT_ADDRESS = '10.77.0.250';

export interface Recording {
  readonly provider: ClusterProvider;
  /** Every call, in order, as text: 'stop n1 kill', 'apply n1', 'sweep n1,n2 f3', ... */
  readonly calls: string[];
  /** The rules of every applyRules call, by node. */
  readonly applied: Map<string, RuleLine[]>;
  /** What observeNode answers, by node (absent: no such node). */
  readonly observations: Map<string, NodeObservation>;
}

/** A ClusterProvider test double for the nemesis' own logic: it records what it is asked and touches nothing. */
export function recordingProvider(state: ClusterState, freeDiskAnswer = true): Recording {
  const calls: string[] = [];
  const applied = new Map<string, RuleLine[]>();
  const observations = new Map<string, NodeObservation>();
  const note = <T>(call: string, value: T): Promise<T> => {
    calls.push(call);
    return Promise.resolve(value);
  };
  const done = (name: string) => ({ node: name, pid: 4242, tookMs: 1 });
  const optional = (value: number | undefined) => (value === undefined ? '' : ` ${value}`);
  const provider: ClusterProvider = {
    kind: 'local',
    nodes: () => state.nodes,
    bootstrap: () => state.bootstrap,
    clientAddress: () => CLIENT_ADDRESS,
    startNode: (name, timeoutMs) => note(`start ${name}${optional(timeoutMs)}`, { ...done(name), alreadyRunning: false }),
    stopNode: (name, how, graceMs) => note(`stop ${name} ${how}${optional(graceMs)}`, { ...done(name), outcome: how === 'kill' ? 'killed' : 'terminated' }),
    pauseNode: (name) => note(`pause ${name}`, done(name)),
    resumeNode: (name) => note(`resume ${name}`, { ...done(name), wasPaused: true }),
    observeNode: (name) => note(`observe ${name}`, observations.get(name)),
    runOnNode: (name, argv) => note(`run ${name} ${argv.join(' ')}`, { code: 0, stdout: '', stderr: '' }),
    applyRules: (rulesByNode) => {
      for (const [name, rules] of rulesByNode) applied.set(name, [...(applied.get(name) ?? []), ...rules]);
      return note(`apply ${[...rulesByNode.keys()].join(',')}`, undefined);
    },
    sweepRules: (nodes, faultId) => note(`sweep ${nodes.join(',')} ${faultId ?? 'all'}`, 3),
    fillDisk: (name) => note(`fill ${name}`, { filledBytes: 1000, freeBytesAfter: 0 }),
    freeDisk: (name) => note(`free ${name}`, freeDiskAnswer),
    readLog: (name, lines) => note(`log ${name} ${lines}`, ''),
    readDataFile: (name, path) => note(`read ${name} ${path}`, undefined),
    startProxy: (name, options, faultId) => note(`proxy ${name} ${options.targetHost}:${options.targetPort} ${faultId}`, { pid: 5151, port: 40_001 }),
    stopProxy: (name, pid, faultId) => note(`stop proxy ${name} ${pid} ${faultId}`, true),
    sweepLeftovers: () => note('sweep leftovers', []),
  };
  return { provider, calls, applied, observations };
}

/** A fresh FAULTLINE_HOME for one test, holding `state` as the recorded cluster; restored and removed after it. */
export function homeWithCluster(t: { after: (fn: () => void) => void }, state: ClusterState | undefined): string {
  const home = mkdtempSync(join(tmpdir(), 'faultline-provider-'));
  const saved = process.env['FAULTLINE_HOME'];
  process.env['FAULTLINE_HOME'] = home;
  t.after(() => {
    if (saved === undefined) delete process.env['FAULTLINE_HOME'];
    else process.env['FAULTLINE_HOME'] = saved;
    rmSync(home, { recursive: true, force: true });
  });
  if (state) writeClusterState(state);
  return home;
}
