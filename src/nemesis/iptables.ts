import { execCapture, execOrThrow } from '../util/exec.js';
import { deleteArgsFromListing, type IptablesTable } from '../net/iptables-loss.js';
import { listFaultlineNamespaces } from '../net/namespace.js';

/** Runs iptables inside a namespace (the nodes' rules never touch the host's own tables). */
export async function iptablesIn(namespace: string, args: readonly string[]): Promise<void> {
  await execOrThrow('ip', ['netns', 'exec', namespace, 'iptables', '-w', '5', ...args], { timeoutMs: 15_000 });
}

/** Applies many rules in one process per namespace (iptables-restore --noflush): fast, and all-or-nothing. */
export async function applyRules(namespace: string, rules: readonly { table: IptablesTable; args: readonly string[] }[]): Promise<void> {
  if (rules.length === 0) return;
  const byTable = new Map<IptablesTable, string[]>();
  for (const rule of rules) {
    const lines = byTable.get(rule.table) ?? [];
    // iptables-restore names the table in its '*table' header, not per line.
    const args = rule.args[0] === '-t' ? rule.args.slice(2) : rule.args;
    lines.push(args.map(quoteForRestore).join(' '));
    byTable.set(rule.table, lines);
  }
  const input = [...byTable.entries()].map(([table, lines]) => `*${table}\n${lines.join('\n')}\nCOMMIT\n`).join('');
  await execOrThrow('ip', ['netns', 'exec', namespace, 'iptables-restore', '-w', '5', '--noflush'], { input, timeoutMs: 15_000 });
}

function quoteForRestore(token: string): string {
  return /^[A-Za-z0-9_.:/,=+-]+$/.test(token) ? token : `"${token.replace(/(["\\])/g, '\\$1')}"`;
}

/** Deletes every rule tagged with this fault (or with any faultline fault) in the namespaces; returns how many. */
export async function sweepRules(namespaces: readonly string[] | 'all', faultId?: string): Promise<number> {
  const targets = namespaces === 'all' ? await listFaultlineNamespaces() : namespaces;
  let removed = 0;
  for (const namespace of targets) {
    for (const table of ['filter', 'nat'] as const) {
      const listing = await execCapture('ip', ['netns', 'exec', namespace, 'iptables', '-w', '5', '-t', table, '-S'], { timeoutMs: 15_000 });
      if (listing.code !== 0) continue; // the namespace is gone: nothing to remove
      for (const args of deleteArgsFromListing(table, listing.stdout, faultId)) {
        const result = await execCapture('ip', ['netns', 'exec', namespace, 'iptables', '-w', '5', ...args], { timeoutMs: 15_000 });
        if (result.code === 0) removed++;
      }
    }
  }
  return removed;
}

/** Counts faultline-tagged rules across every faultline namespace (for tests and `fault list`). */
export async function countFaultlineRules(): Promise<number> {
  let count = 0;
  for (const namespace of await listFaultlineNamespaces()) {
    for (const table of ['filter', 'nat']) {
      const listing = await execCapture('ip', ['netns', 'exec', namespace, 'iptables', '-w', '5', '-t', table, '-S'], { timeoutMs: 15_000 });
      count += listing.stdout.split('\n').filter((line) => line.includes('faultline:')).length;
    }
  }
  return count;
}
