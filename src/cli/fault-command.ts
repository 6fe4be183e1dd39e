import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  FAULT_KINDS,
  FAULT_LIMITS,
  FieldError,
  RESTART_MODES,
  SIMPLE_SHAPES,
  TARGET_SYNTAX,
  UsageError,
  healAll,
  healFault,
  injectFault,
  listFaults,
  parseFault,
  type FaultKind,
  type FaultResult,
} from '../index.js';
import { printResult, table } from './output.js';

/** The fault's own flags as commander hands them over: numbers already numbers, lists still text. */
interface FaultFieldFlags {
  readonly graceMs?: number;
  readonly restartMode?: string;
  readonly downMs?: number;
  readonly from?: string;
  readonly groups?: string[];
  readonly shape?: string;
  readonly oneWay?: boolean;
  readonly clients?: boolean;
  readonly peers?: string;
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly bandwidthBytesPerSec?: number;
  readonly lossPercent?: number;
  readonly flaky?: { upMs: number; downMs: number };
}

interface FaultFlags extends FaultFieldFlags {
  readonly json?: boolean;
  readonly seed?: number;
}

const KEYWORDS = ['all', 'controllers', 'zookeeper', 'clients', 'rest'];

/** `a,b` -> ['a', 'b']; a keyword stays a word. */
function nodeList(raw: string): string | string[] {
  return KEYWORDS.includes(raw.trim()) ? raw.trim() : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function numberArg(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a number, got '${raw}'`);
  return value;
}

function flakyArg(raw: string): { upMs: number; downMs: number } {
  const match = /^(\d+):(\d+)$/.exec(raw.trim());
  if (!match) throw new InvalidArgumentError(`expected UP_MS:DOWN_MS (e.g. 2000:500), got '${raw}'`);
  return { upMs: Number(match[1]), downMs: Number(match[2]) };
}

const kebab = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The plain fault the flags describe, with the library's field names (flags are their kebab-case), parsed and
 * validated by the library's one parser; its field errors are reported under the flag's name.
 */
export function faultFromFlags(kind: FaultKind, target: string | undefined, flags: FaultFieldFlags): ReturnType<typeof parseFault> {
  const { from, groups, peers, ...fields } = flags;
  const spec = {
    kind,
    ...(target !== undefined ? { target } : {}),
    ...fields,
    ...(from !== undefined ? { from: nodeList(from) } : {}),
    ...(groups !== undefined ? { groups: groups.map(nodeList) } : {}),
    ...(peers !== undefined ? { peers: nodeList(peers) } : {}),
  };
  try {
    return parseFault(spec);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const [head, ...rest] = error.path;
    const flag = head === 'target' || head === undefined ? (head ?? 'fault') : `--${kebab(String(head))}`;
    throw new UsageError(`${flag}${rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${error.reason}`);
  }
}

function describeFault(result: FaultResult): string {
  return `${result.id} ${result.kind} ${result.target} -> ${result.nodes.join(', ')}: in effect at ${result.effectiveAt} (${result.tookMs.toFixed(1)} ms)`;
}

const DESCRIPTIONS: Record<FaultKind, string> = {
  kill: 'SIGKILL the node (heal starts it again)',
  terminate: 'SIGTERM (controlled shutdown), SIGKILL after --grace-ms (heal starts it again)',
  restart: 'stop (terminate or kill), wait --down-ms, start again with the same data',
  pause: 'SIGSTOP the node (heal sends SIGCONT)',
  resume: 'SIGCONT a paused node',
  start: 'start a stopped node',
  partition: 'cut a node, groups of nodes, or a named shape off with iptables rules (in the node namespaces here, tagged rules on SSH hosts)',
  degrade: 'slow a link (latency, jitter, bandwidth, flaky) through a proxy, or drop packets at random',
  'fill-disk': "fill the node's data directory until writes fail (heal frees it and restarts the node)",
};

function addKindOptions(command: Command, kind: FaultKind): void {
  if (kind === 'terminate' || kind === 'restart') command.option('--grace-ms <ms>', `SIGTERM, then SIGKILL after this long (default ${FAULT_LIMITS.defaultGraceMs})`, numberArg);
  if (kind === 'restart') {
    command.addOption(new Option('--restart-mode <how>', 'stop with terminate (graceful, default) or kill').choices(RESTART_MODES));
    command.option('--down-ms <ms>', 'stay down this long before starting again (default 0)', numberArg);
  }
  if (kind === 'partition') {
    command
      .option('--from <peers>', 'with a target: all (default: every other node), controllers (the KRaft quorum port only), zookeeper, or nodes a,b')
      .option('--groups <group...>', 'instead of a target: groups of nodes by role or name (leader:t,follower:t rest); overlaps go to the first group; rest = every other node')
      .option('--shape <shape>', `instead of a target: ${SIMPLE_SHAPES.join(', ')} or minority-with:TARGET`)
      .option('--one-way', 'drop only traffic into the target (or into each group)')
      .option('--clients', 'also cut the workload host off');
  }
  if (kind === 'degrade') {
    command
      .option('--peers <peers>', 'the other end: clients (the workload host, default), all, or nodes a,b')
      .option('--latency-ms <ms>', 'added one-way delay per direction (a round trip gains twice this)', numberArg)
      .option('--jitter-ms <ms>', 'uniform +- jitter on each delay (never reorders bytes)', numberArg)
      .option('--bandwidth-bytes-per-sec <n>', 'bandwidth limit per direction', numberArg)
      .option('--loss-percent <p>', 'random packet loss (iptables statistic match), (0, 100]', numberArg)
      .option('--flaky <up:down>', 'intermittent drop: works UP ms, broken DOWN ms, repeatedly', flakyArg);
  }
}

function registerHeal(program: Command): void {
  program
    .command('heal')
    .description('undo one fault by id, or every fault with --all (also sweeps what a crashed faultline left)')
    .argument('[id]', 'fault id, e.g. f3')
    .option('--all', 'heal every fault and sweep leftovers')
    .option('--json', 'print as JSON')
    .action(async (id: string | undefined, flags: { all?: boolean; json?: boolean }) => {
      if (!id && !flags.all) throw new UsageError("heal: name a fault id or use --all ('faultline fault list' shows the active ones)");
      if (id && flags.all) throw new UsageError('heal: give a fault id or --all, not both');
      const result = flags.all ? await healAll() : await healFault(id ?? '');
      printResult(flags.json, result, (r) => [`healed ${r.healed.length === 0 ? 'nothing' : r.healed.join(', ')} in ${r.tookMs.toFixed(1)} ms`, ...r.actions.map((a) => `  ${a}`)].join('\n'));
    });
}

export function registerFaultCommands(program: Command): void {
  const fault = program
    .command('fault')
    .description(`inject a real, reversible fault into the cluster (local or on SSH hosts): ${FAULT_KINDS.join(', ')}, or 'fault list'`)
    .addHelpText('after', `\nTargets (resolved when the fault fires): ${TARGET_SYNTAX}.\nExamples:\n  faultline fault kill leader:test1\n  faultline fault partition leader:test1 --from zookeeper\n  faultline fault partition --groups leader:test1,follower:test1 rest\n  faultline fault partition --shape majorities-ring --seed 7\n  faultline fault degrade n2 --peers clients --latency-ms 100\n  faultline heal --all`);

  fault
    .command('list')
    .description('active faults (with --all, healed ones too)')
    .option('--all', 'include healed faults')
    .option('--json', 'print as JSON')
    .action((flags: { all?: boolean; json?: boolean }) => {
      const faults = listFaults({ includeHealed: flags.all ?? false });
      printResult(flags.json, { faults }, () =>
        faults.length === 0 ? 'no active faults' : table(['id', 'kind', 'target', 'nodes', 'status', 'since'], faults.map((f) => [f.id, f.kind, f.target, f.nodes.join(','), f.status, f.effectiveAt ?? f.startedAt])),
      );
    });

  for (const kind of FAULT_KINDS) {
    const command = fault
      .command(kind)
      .description(DESCRIPTIONS[kind])
      .argument(kind === 'partition' ? '[target]' : '<target>', `what to hit: ${TARGET_SYNTAX}`)
      .option('--json', 'print as JSON')
      .option('--seed <n>', 'seed for random targets, follower choice and random shapes', numberArg)
      .option('--yes', 'confirm a fault on an attached cluster (one faultline did not install)');
    addKindOptions(command, kind);
    command.action(async (target: string | undefined, flags: FaultFlags & { yes?: boolean }) => {
      const { json, seed, yes, ...fields } = flags;
      const request = faultFromFlags(kind, target, fields);
      if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) throw new UsageError(`--seed: expected a whole number >= 0, got ${seed}`);
      const result = await injectFault(request, { ...(seed !== undefined ? { seed } : {}), ...(yes === true ? { confirmed: true } : {}) });
      printResult(json, result, describeFault);
    });
  }
  registerHeal(program);
}
