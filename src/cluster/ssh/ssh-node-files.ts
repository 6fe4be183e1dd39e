import { faultIdOfRule, restoreInput, type RuleLine } from '../../net/iptables.js';
import { listUndos, disarmUndo, sweepUndos } from '../../ssh/remote-undo.js';
import { requireClusterState } from '../cluster-state.js';
import { FILL_FILE } from '../disk-fill.js';
import type { DiskFill } from '../provider.js';
import { recordedNode, hostOfNode, openHost, runScript, scriptAnswer, sshInfoOf } from './remote-hosts.js';
import { FILL_SCRIPT, FREE_SCRIPT, OBSERVE_SCRIPT, RESTORE_SCRIPT, RULES_SWEEP_SCRIPT, SIGNAL_SCRIPT } from './node-scripts.js';
import { sweepSshProxies } from './ssh-proxy.js';
import { armAndRun, armScriptUndo, disarm, rulesUndoId, undoId } from './ssh-undo.js';

/** Bound on filling a disk (fallocate is instant; the fallback writes zeros). */
const FILL_TIMEOUT_MS = 120_000;


/** Rules per node: each fault's rules armed as a self-expiring undo first, then applied in one iptables-restore. */
export async function applySshRules(rulesByNode: ReadonlyMap<string, readonly RuleLine[]>): Promise<void> {
  const state = requireClusterState();
  await Promise.all([...rulesByNode].map(async ([name, rules]) => {
    if (rules.length === 0) return;
    const { node } = recordedNode(name);
    const host = await hostOfNode(state, node);
    const faultIds = [...new Set(rules.map(faultIdOfRule))];
    const [first, ...others] = faultIds;
    for (const faultId of others) if (faultId !== undefined) await armScriptUndo(state, host, rulesUndoId(faultId), RULES_SWEEP_SCRIPT, [faultId]);
    const restore = { what: 'iptables-restore', script: RESTORE_SCRIPT, args: [restoreInput(rules)] };
    if (first === undefined) await scriptAnswer(host, restore.what, restore.script, restore.args);
    else await armAndRun(state, host, { id: rulesUndoId(first), script: RULES_SWEEP_SCRIPT, args: [first] }, restore);
  }));
}

/** Deletes this fault's rules (every faultline rule without one) on the nodes' hosts, and disarms their undos. */
export async function sweepSshRules(names: readonly string[], faultId?: string): Promise<number> {
  const state = requireClusterState();
  const counts = await Promise.all(names.map(async (name) => {
    const host = await hostOfNode(state, recordedNode(name).node);
    const count = Number(await scriptAnswer(host, 'removing iptables rules', RULES_SWEEP_SCRIPT, [faultId ?? '']));
    const undoDir = `${sshInfoOf(state).remoteDir}/undo`;
    const ids = faultId !== undefined ? [rulesUndoId(faultId)] : (await listUndos(host, undoDir)).map((u) => u.id).filter((id) => id.startsWith('rules.'));
    for (const id of ids) await disarmUndo(host, id, undoDir);
    return count;
  }));
  return counts.reduce((sum, n) => sum + n, 0);
}

export async function fillSshDisk(name: string): Promise<DiskFill> {
  const { state, node } = recordedNode(name);
  const host = await hostOfNode(state, node);
  const undo = { id: undoId('fill', name), script: FREE_SCRIPT, args: [node.dataDir, FILL_FILE] };
  const answer = await armAndRun(state, host, undo, { what: `filling ${node.dataDir}`, script: FILL_SCRIPT, args: [node.dataDir, FILL_FILE], timeoutMs: FILL_TIMEOUT_MS });
  const [filled = '0', after = '0'] = answer.split(' ');
  return { filledBytes: Number(filled), freeBytesAfter: Number(after) };
}

export async function freeSshDisk(name: string): Promise<boolean> {
  const { state, node } = recordedNode(name);
  const host = await hostOfNode(state, node);
  const answer = await scriptAnswer(host, `freeing ${node.dataDir}`, FREE_SCRIPT, [node.dataDir, FILL_FILE]);
  await disarm(state, host, undoId('fill', name));
  return answer === 'removed';
}

export async function readSshLog(name: string, lines: number): Promise<string> {
  const { state, node } = recordedNode(name);
  const result = await (await hostOfNode(state, node)).run(['tail', '-n', String(lines), node.logFile]);
  return result.code === 0 ? result.stdout.trimEnd() : '(no log)';
}

export async function readSshDataFile(name: string, relativePath: string): Promise<string | undefined> {
  const { state, node } = recordedNode(name);
  const result = await (await hostOfNode(state, node)).run(['cat', `${node.dataDir}/${relativePath}`]);
  return result.code === 0 ? result.stdout : undefined;
}

/**
 * heal --all on every host: ends every armed undo without running it (heal --all undoes each fault itself, and
 * starts stopped nodes last, once no rule is left), removes faultline rules and fill files, resumes paused nodes.
 */
export async function sweepSshLeftovers(): Promise<string[]> {
  const state = requireClusterState();
  const info = sshInfoOf(state);
  const done: string[] = [];
  for (const name of info.hosts) {
    const host = await openHost(info, name);
    const undos = await sweepUndos(host, { undoDir: `${info.remoteDir}/undo` });
    done.push(...undos.map((u) => `${name}: ended the ${u.state} undo ${u.id}`));
    const rules = Number(await scriptAnswer(host, 'removing iptables rules', RULES_SWEEP_SCRIPT, ['']));
    if (rules > 0) done.push(`${name}: swept ${rules} leftover iptables rules`);
    const proxies = await sweepSshProxies(host);
    if (proxies > 0) done.push(`${name}: stopped ${proxies} leftover proxies`);
  }
  for (const node of state.nodes) {
    const host = await hostOfNode(state, node);
    if ((await scriptAnswer(host, 'freeing', FREE_SCRIPT, [node.dataDir, FILL_FILE])) === 'removed') done.push(`removed the fill file of ${node.name}`);
    const seen = (await runScript(host, OBSERVE_SCRIPT, [node.pid, node.marker])).stdout.trim();
    if (seen.startsWith('paused ')) {
      await scriptAnswer(host, `resume ${node.name}`, SIGNAL_SCRIPT, [node.pid, node.marker, 'resume']);
      done.push(`resumed ${node.name}`);
    }
  }
  return done;
}
