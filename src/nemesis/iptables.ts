import { execCapture, execOrThrow } from '../util/exec.js';
import type { IptablesTable } from '../net/iptables-loss.js';
import { listFaultlineNamespaces } from '../net/namespace.js';

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

/**
 * The delete lines for every faultline rule (or one fault's) in an `iptables-save` dump, grouped as an
 * `iptables-restore --noflush` input: one listing and one restore per namespace, however many rules.
 */
export function sweepInput(dump: string, faultId?: string): { input: string; count: number } {
  const wanted = faultId === undefined ? undefined : `faultline:${faultId}`;
  const byTable = new Map<string, string[]>();
  let table = '';
  for (const line of dump.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    if (!line.startsWith('-A ')) continue;
    const comment = /--comment "?(faultline:[A-Za-z0-9_.:-]+)"?/.exec(line)?.[1];
    if (!comment || (wanted !== undefined && comment !== wanted)) continue;
    byTable.set(table, [...(byTable.get(table) ?? []), `-D ${line.slice(3)}`]);
  }
  let count = 0;
  let input = '';
  for (const [name, lines] of byTable) {
    input += `*${name}\n${lines.join('\n')}\nCOMMIT\n`;
    count += lines.length;
  }
  return { input, count };
}

/** Deletes every rule tagged with this fault (or with any faultline fault) in the namespaces; returns how many. */
export async function sweepRules(namespaces: readonly string[] | 'all', faultId?: string): Promise<number> {
  const targets = namespaces === 'all' ? await listFaultlineNamespaces() : namespaces;
  const counts = await Promise.all(
    targets.map(async (namespace) => {
      const dump = await execCapture('ip', ['netns', 'exec', namespace, 'iptables-save'], { timeoutMs: 15_000 });
      if (dump.code !== 0) return 0; // the namespace is gone: nothing to remove
      const { input, count } = sweepInput(dump.stdout, faultId);
      if (count === 0) return 0;
      await execOrThrow('ip', ['netns', 'exec', namespace, 'iptables-restore', '-w', '5', '--noflush'], { input, timeoutMs: 15_000 });
      return count;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
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
