/**
 * faultline's one iptables module: rule builders (cuts, random loss, redirects to a proxy, resets of
 * established connections), applying rules in one `iptables-restore` per namespace, and the sweep that
 * removes them. Rules live inside node namespaces, never in the host's tables.
 *
 * Every rule carries `-m comment --comment faultline:<faultId>` so a heal (or a sweep after a crash) finds
 * exactly its own rules. Chains: filter INPUT / nat PREROUTING see packets arriving at the namespace from the
 * bridge; filter OUTPUT sees packets its own processes send. Bridged traffic between veths skips iptables
 * unless br_netfilter is loaded, which is why rules go inside the node namespaces.
 */
import { UsageError } from '../errors.js';
import { execCapture, execOrThrow } from '../util/exec.js';
import { listFaultlineNamespaces } from './namespace.js';

export type IptablesTable = 'filter' | 'nat';

/** One rule as `iptables-restore` takes it: its table, and the line without `-t` (`-I CHAIN ...`). */
export interface RuleLine {
  readonly table: IptablesTable;
  readonly args: readonly string[];
}

const FAULT_COMMENT_PREFIX = 'faultline:';
/** iptables' comment match stores at most 255 characters. */
const MAX_COMMENT_LENGTH = 255;
const FAULT_ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;
/** Bound on one iptables call (it waits up to 5 s for the xtables lock). */
const IPTABLES_TIMEOUT_MS = 15_000;
/** Checked at run time too: specs may come from untyped JSON. */
const LOSS_CHAINS: readonly string[] = ['OUTPUT', 'INPUT'];
const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'all'];

function faultComment(faultId: string): string {
  if (!FAULT_ID_PATTERN.test(faultId)) {
    throw new UsageError(`faultId: expected letters, digits, '_', '.', ':' or '-', got ${JSON.stringify(faultId)}`);
  }
  const comment = FAULT_COMMENT_PREFIX + faultId;
  if (comment.length > MAX_COMMENT_LENGTH) throw new UsageError(`faultId: longer than ${MAX_COMMENT_LENGTH - FAULT_COMMENT_PREFIX.length} characters`);
  return comment;
}

function tag(faultId: string): string[] {
  return ['-m', 'comment', '--comment', faultComment(faultId)];
}

/** What a cut drops: everything from/to `peerAddress`, or only connections on one port; `oneWay` keeps what goes out. */
export interface CutSpec {
  readonly faultId: string;
  readonly peerAddress: string;
  readonly port?: number;
  readonly oneWay: boolean;
}

/**
 * The DROP rules of one cut, in the cut node's own namespace. A port cut covers both directions of connections
 * to that port: node -> peer:port (OUTPUT --dport) and peer -> node:port (INPUT --dport), and their replies.
 */
export function cutRules(cut: CutSpec): RuleLine[] {
  const peer = checkIp('peerAddress', cut.peerAddress);
  const drop = [...tag(cut.faultId), '-j', 'DROP'];
  if (cut.port === undefined) {
    const rules: RuleLine[] = [{ table: 'filter', args: ['-I', 'INPUT', '-s', peer, ...drop] }];
    if (!cut.oneWay) rules.push({ table: 'filter', args: ['-I', 'OUTPUT', '-d', peer, ...drop] });
    return rules;
  }
  const port = String(checkPort('port', cut.port));
  const rules: RuleLine[] = [
    { table: 'filter', args: ['-I', 'INPUT', '-s', peer, '-p', 'tcp', '--sport', port, ...drop] },
    { table: 'filter', args: ['-I', 'INPUT', '-s', peer, '-p', 'tcp', '--dport', port, ...drop] },
  ];
  if (!cut.oneWay) {
    rules.push({ table: 'filter', args: ['-I', 'OUTPUT', '-d', peer, '-p', 'tcp', '--dport', port, ...drop] });
    rules.push({ table: 'filter', args: ['-I', 'OUTPUT', '-d', peer, '-p', 'tcp', '--sport', port, ...drop] });
  }
  return rules;
}

export interface LossRuleSpec {
  readonly faultId: string;
  /** Chance each matching packet is dropped, 0 < p <= 1. */
  readonly probability: number;
  /** OUTPUT (sent from this namespace, default) or INPUT (received). */
  readonly chain?: 'OUTPUT' | 'INPUT';
  readonly sourceIp?: string;
  readonly destinationIp?: string;
  /** Default 'all'. Ports need tcp or udp. */
  readonly protocol?: 'tcp' | 'udp' | 'all';
  readonly sourcePort?: number;
  readonly destinationPort?: number;
}

/** Random loss: `-m statistic --mode random --probability P -j DROP`, tagged with the fault. */
export function lossRule(spec: LossRuleSpec): RuleLine {
  const { probability } = spec;
  if (!Number.isFinite(probability) || probability <= 0 || probability > 1) {
    throw new UsageError(`probability: expected a number in (0, 1], got ${probability}`);
  }
  const chain = spec.chain ?? 'OUTPUT';
  if (!LOSS_CHAINS.includes(chain)) throw new UsageError(`chain: expected OUTPUT or INPUT, got ${JSON.stringify(chain)}`);
  const match = [...addressMatch(spec.sourceIp, spec.destinationIp), ...protocolMatch(spec.protocol ?? 'all', spec.sourcePort, spec.destinationPort)];
  const statistic = ['-m', 'statistic', '--mode', 'random', '--probability', formatProbability(probability)];
  return { table: 'filter', args: ['-I', chain, ...match, ...statistic, ...tag(spec.faultId), '-j', 'DROP'] };
}

export interface RedirectRuleSpec {
  readonly faultId: string;
  /** Original destination of the connections to capture. */
  readonly destinationIp: string;
  readonly destinationPort: number;
  /** Only capture connections from this source, default any. */
  readonly sourceIp?: string;
  /** Where the proxy listens, in the same namespace (REDIRECT). */
  readonly proxyPort: number;
}

/**
 * nat PREROUTING REDIRECT of new TCP connections arriving for destinationIp:destinationPort to a proxy in the
 * same namespace (whose own connection to the destination is local, so never redirected again). NAT is decided
 * on a connection's first packet: connections made before the rule stay direct until reset (see resetRule).
 */
export function redirectRule(spec: RedirectRuleSpec): RuleLine {
  return {
    table: 'nat',
    args: [
      '-I', 'PREROUTING',
      ...addressMatch(spec.sourceIp, spec.destinationIp),
      '-p', 'tcp', '--dport', String(checkPort('destinationPort', spec.destinationPort)),
      ...tag(spec.faultId),
      '-j', 'REDIRECT', '--to-ports', String(checkPort('proxyPort', spec.proxyPort)),
    ],
  };
}

/** Resets connections established from `sourceIp` to destination:port before a redirect, so clients reconnect through it. */
export function resetEstablishedRule(spec: Omit<RedirectRuleSpec, 'proxyPort'> & { readonly sourceIp: string }): RuleLine {
  return {
    table: 'filter',
    args: [
      '-I', 'INPUT',
      ...addressMatch(spec.sourceIp, spec.destinationIp),
      '-p', 'tcp', '--dport', String(checkPort('destinationPort', spec.destinationPort)),
      '-m', 'conntrack', '--ctstate', 'ESTABLISHED',
      ...tag(spec.faultId),
      '-j', 'REJECT', '--reject-with', 'tcp-reset',
    ],
  };
}

/** The `iptables-restore --noflush` input that adds the rules, all of a table in one commit. */
export function restoreInput(rules: readonly RuleLine[]): string {
  const byTable = new Map<IptablesTable, string[]>();
  for (const rule of rules) byTable.set(rule.table, [...(byTable.get(rule.table) ?? []), rule.args.map(quoteForRestore).join(' ')]);
  return [...byTable.entries()].map(([table, lines]) => `*${table}\n${lines.join('\n')}\nCOMMIT\n`).join('');
}

/** The fault id a rule is tagged with (every faultline rule carries one). */
export function faultIdOfRule(rule: RuleLine): string | undefined {
  const comment = rule.args[rule.args.indexOf('--comment') + 1];
  return comment?.startsWith(FAULT_COMMENT_PREFIX) ? comment.slice(FAULT_COMMENT_PREFIX.length) : undefined;
}

/** Applies rules in one `iptables-restore --noflush` per namespace: fast, and all-or-nothing. */
async function applyRules(namespace: string, rules: readonly RuleLine[]): Promise<void> {
  if (rules.length === 0) return;
  await execOrThrow('ip', ['netns', 'exec', namespace, 'iptables-restore', '-w', '5', '--noflush'], { input: restoreInput(rules), timeoutMs: IPTABLES_TIMEOUT_MS });
}

/** Rules grouped by namespace, applied in parallel, one restore each. */
export async function applyRulesByNamespace(rules: ReadonlyMap<string, readonly RuleLine[]>): Promise<void> {
  await Promise.all([...rules.entries()].map(([namespace, lines]) => applyRules(namespace, lines)));
}

function quoteForRestore(token: string): string {
  return /^[A-Za-z0-9_.:/,=+-]+$/.test(token) ? token : `"${token.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * The delete lines for every faultline rule (or one fault's) in an `iptables-save` dump, as an
 * `iptables-restore --noflush` input: one listing and one restore per namespace, however many rules.
 */
export function sweepInput(dump: string, faultId?: string): { input: string; count: number } {
  const wanted = faultId === undefined ? undefined : `${FAULT_COMMENT_PREFIX}${faultId}`;
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
      const dump = await execCapture('ip', ['netns', 'exec', namespace, 'iptables-save'], { timeoutMs: IPTABLES_TIMEOUT_MS });
      if (dump.code !== 0) return 0; // the namespace is gone: nothing to remove
      const { input, count } = sweepInput(dump.stdout, faultId);
      if (count === 0) return 0;
      await execOrThrow('ip', ['netns', 'exec', namespace, 'iptables-restore', '-w', '5', '--noflush'], { input, timeoutMs: IPTABLES_TIMEOUT_MS });
      return count;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** Counts faultline-tagged rules across every faultline namespace (tests and `fault list`). */
export async function countFaultlineRules(): Promise<number> {
  let count = 0;
  for (const namespace of await listFaultlineNamespaces()) {
    const dump = await execCapture('ip', ['netns', 'exec', namespace, 'iptables-save'], { timeoutMs: IPTABLES_TIMEOUT_MS });
    count += dump.stdout.split('\n').filter((line) => line.startsWith('-A ') && line.includes(FAULT_COMMENT_PREFIX)).length;
  }
  return count;
}

function addressMatch(sourceIp: string | undefined, destinationIp: string | undefined): string[] {
  const out: string[] = [];
  if (sourceIp !== undefined) out.push('-s', checkIp('sourceIp', sourceIp));
  if (destinationIp !== undefined) out.push('-d', checkIp('destinationIp', destinationIp));
  return out;
}

function protocolMatch(protocol: 'tcp' | 'udp' | 'all', sourcePort: number | undefined, destinationPort: number | undefined): string[] {
  if (!PROTOCOLS.includes(protocol)) {
    throw new UsageError(`protocol: expected tcp, udp or all, got ${JSON.stringify(protocol)}`);
  }
  if (protocol === 'all') {
    if (sourcePort !== undefined || destinationPort !== undefined) throw new UsageError('protocol: ports need tcp or udp');
    return [];
  }
  const out = ['-p', protocol];
  if (sourcePort !== undefined) out.push('--sport', String(checkPort('sourcePort', sourcePort)));
  if (destinationPort !== undefined) out.push('--dport', String(checkPort('destinationPort', destinationPort)));
  return out;
}

/** IPv4 address or CIDR (iptables would also take names, but a name resolved at apply time is not what we meant). */
function checkIp(name: string, value: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value);
  const octetsOk = match?.slice(1, 5).every((octet) => Number(octet) <= 255) === true;
  const prefixOk = match?.[5] === undefined || Number(match[5]) <= 32;
  if (!octetsOk || !prefixOk) throw new UsageError(`${name}: expected an IPv4 address, got ${JSON.stringify(value)}`);
  return value;
}

function checkPort(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new UsageError(`${name}: expected a port 1..65535, got ${value}`);
  return value;
}

/** Decimal without exponent notation (iptables rejects "1e-7"); 9 places is finer than its 2^-31 resolution. */
function formatProbability(probability: number): string {
  const fixed = probability.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
  if (fixed === '0') throw new UsageError(`probability: ${probability} is below iptables' resolution (1e-9)`);
  return fixed;
}
