import { requireClusterState } from '../cluster-state.js';
import type { ClusterProvider } from '../provider.js';
import { hostOfNode, sshInfoOf } from './remote-hosts.js';
import { startSshProxy, stopSshProxy } from './ssh-proxy.js';
import { observeSshNode, pauseSshNode, resumeSshNode, startSshNode, stopSshNode } from './ssh-node-control.js';
import { applySshRules, fillSshDisk, freeSshDisk, readSshDataFile, readSshLog, sweepSshLeftovers, sweepSshRules } from './ssh-node-files.js';

/**
 * The SSH provider: every node on a host of its own, reached over one multiplexed OpenSSH connection per host
 * (docs/ssh.md). Like the local provider it keeps no state of its own: each call reads the state file. Every
 * fault it puts on a host is armed there first as a self-expiring undo.
 */
export const sshProvider: ClusterProvider = {
  kind: 'ssh',
  nodes: () => requireClusterState().nodes,
  bootstrap: () => requireClusterState().bootstrap,
  clientAddress: () => sshInfoOf(requireClusterState()).clientAddress,
  startNode: (name, timeoutMs) => startSshNode(name, timeoutMs),
  stopNode: (name, how, graceTimeoutMs) => stopSshNode(name, how, graceTimeoutMs),
  pauseNode: (name) => pauseSshNode(name),
  resumeNode: (name) => resumeSshNode(name),
  observeNode: (name) => observeSshNode(name),
  runOnNode: async (name, argv, options = {}) => {
    const state = requireClusterState();
    const node = state.nodes.find((n) => n.name === name);
    if (!node) return { code: 2, stdout: '', stderr: `no node ${name} in the cluster` };
    const result = await (await hostOfNode(state, node)).run(argv, {
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.input !== undefined ? { stdin: options.input } : {}),
    });
    return { code: result.code, stdout: result.stdout, stderr: result.stderr };
  },
  applyRules: (rulesByNode) => applySshRules(rulesByNode),
  sweepRules: (nodes, faultId) => sweepSshRules(nodes, faultId),
  fillDisk: (name) => fillSshDisk(name),
  freeDisk: (name) => freeSshDisk(name),
  readLog: (name, lines) => readSshLog(name, lines),
  readDataFile: (name, relativePath) => readSshDataFile(name, relativePath),
  startProxy: (name, options, faultId) => startSshProxy(name, options, faultId),
  stopProxy: (name, pid, faultId) => stopSshProxy(name, pid, faultId),
  sweepLeftovers: () => sweepSshLeftovers(),
};
