import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { healAll, healFault, injectFault, listFaults, type FaultResult } from '../nemesis/nemesis.js';
import { FAULT_KINDS, PROCESS_FAULT_KINDS, parseFaultKind, type FaultRequest } from '../nemesis/fault-request.js';
import { TARGET_SYNTAX } from '../nemesis/target.js';
import { parseIntOption, parseNumberOption } from './parse.js';
import { printResult, table } from './output.js';

interface FaultFlags {
  json?: boolean;
  seed?: string;
  graceMs?: string;
  mode?: string;
  downMs?: string;
  from?: string;
  groups?: string[];
  oneWay?: boolean;
  clients?: boolean;
  peers?: string;
  latencyMs?: string;
  jitterMs?: string;
  bandwidth?: string;
  lossPercent?: string;
  flaky?: string;
}

function describeFault(result: FaultResult): string {
  return `${result.id} ${result.kind} ${result.target} -> ${result.nodes.join(', ')}: in effect at ${result.effectiveAt} (${result.tookMs.toFixed(1)} ms)`;
}

function parseFlaky(raw: string): { upMs: number; downMs: number } {
  const match = /^(\d+):(\d+)$/.exec(raw.trim());
  if (!match) throw new UsageError(`--flaky: expected UP_MS:DOWN_MS (e.g. 2000:500), got '${raw}'`);
  return { upMs: parseIntOption('--flaky up', match[1] ?? '', 1, 3_600_000), downMs: parseIntOption('--flaky down', match[2] ?? '', 1, 3_600_000) };
}

/** Builds the plain-data request the library takes from the command line. */
export function faultRequestFromFlags(kindText: string, target: string | undefined, flags: FaultFlags): FaultRequest {
  const kind = parseFaultKind(kindText);
  if ((PROCESS_FAULT_KINDS as readonly string[]).includes(kind)) {
    if (!target) throw new UsageError(`fault ${kind}: name a target (${TARGET_SYNTAX})`);
    if (flags.mode && flags.mode !== 'kill' && flags.mode !== 'terminate') throw new UsageError(`--mode: expected kill or terminate, got '${flags.mode}'`);
    return {
      kind: kind as (typeof PROCESS_FAULT_KINDS)[number],
      target,
      ...(flags.graceMs ? { graceMs: parseIntOption('--grace-ms', flags.graceMs, 0, 600_000) } : {}),
      ...(flags.mode ? { restartMode: flags.mode as 'kill' | 'terminate' } : {}),
      ...(flags.downMs ? { downMs: parseIntOption('--down-ms', flags.downMs, 0, 600_000) } : {}),
    };
  }
  if (kind === 'partition') {
    return {
      kind,
      ...(target ? { target } : {}),
      ...(flags.from ? { from: flags.from } : {}),
      ...(flags.groups ? { groups: flags.groups.map((g) => g.split(',').map((s) => s.trim()).filter(Boolean)) } : {}),
      oneWay: flags.oneWay ?? false,
      clients: flags.clients ?? false,
    };
  }
  if (!target) throw new UsageError(`fault ${kind}: name a target (${TARGET_SYNTAX})`);
  if (kind === 'degrade') {
    return {
      kind,
      target,
      ...(flags.peers ? { peers: flags.peers } : {}),
      ...(flags.latencyMs ? { latencyMs: parseIntOption('--latency-ms', flags.latencyMs, 0, 3_600_000) } : {}),
      ...(flags.jitterMs ? { jitterMs: parseIntOption('--jitter-ms', flags.jitterMs, 0, 3_600_000) } : {}),
      ...(flags.bandwidth ? { bandwidthBytesPerSec: parseIntOption('--bandwidth', flags.bandwidth, 1, 10 * 1024 ** 3) } : {}),
      ...(flags.lossPercent ? { lossPercent: parseNumberOption('--loss-percent', flags.lossPercent, 0.001, 100) } : {}),
      ...(flags.flaky ? { flaky: parseFlaky(flags.flaky) } : {}),
    };
  }
  return { kind: 'fill-disk', target };
}

export function registerFaultCommands(program: Command): void {
  const fault = program
    .command('fault')
    .description(`inject a real, reversible fault into the local cluster: ${FAULT_KINDS.join(', ')}, or 'fault list'`)
    .addHelpText('after', `\nTargets (resolved when the fault fires): ${TARGET_SYNTAX}.\nExamples:\n  faultline fault kill leader:test1\n  faultline fault partition leader:test1 --from zookeeper\n  faultline fault partition --groups 1,2 3\n  faultline fault degrade n2 --peers clients --latency-ms 100\n  faultline heal --all`);

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

  const descriptions: Record<(typeof FAULT_KINDS)[number], string> = {
    kill: 'SIGKILL the node (heal starts it again)',
    terminate: 'SIGTERM (controlled shutdown), SIGKILL after --grace-ms (heal starts it again)',
    restart: 'stop (terminate or kill), wait --down-ms, start again with the same data',
    pause: 'SIGSTOP the node (heal sends SIGCONT)',
    resume: 'SIGCONT a paused node',
    start: 'start a stopped node',
    partition: 'cut a node (or groups of nodes) off with iptables rules inside the node namespaces',
    degrade: 'slow a link (latency, jitter, bandwidth, flaky) through a proxy, or drop packets at random',
    'fill-disk': "fill the node's data directory until writes fail (heal frees it and restarts the node)",
  };
  for (const kind of FAULT_KINDS) {
    const command = fault.command(kind).description(descriptions[kind]).argument(kind === 'partition' ? '[target]' : '<target>', `what to hit: ${TARGET_SYNTAX}`).option('--json', 'print as JSON').option('--seed <n>', 'seed for random targets and follower choice');
    if (kind === 'terminate' || kind === 'restart') command.option('--grace-ms <ms>', 'SIGTERM, then SIGKILL after this long', '30000');
    if (kind === 'restart') command.option('--mode <how>', 'stop with terminate (graceful) or kill', 'terminate').option('--down-ms <ms>', 'stay down this long before starting again', '0');
    if (kind === 'partition') {
      command
        .option('--from <peers>', 'all (every other node), controllers (the KRaft quorum port only), zookeeper, or node refs a,b', 'all')
        .option('--groups <group...>', 'instead of a target: groups of node refs (1,2 3); each talks only within itself')
        .option('--one-way', 'drop only traffic into the target (or into each group)')
        .option('--clients', 'also cut the workload host off');
    }
    if (kind === 'degrade') {
      command
        .option('--peers <peers>', 'the other end: clients (the workload host), all, or node refs a,b', 'clients')
        .option('--latency-ms <ms>', 'added one-way delay per direction (a round trip gains twice this)')
        .option('--jitter-ms <ms>', 'uniform +- jitter on each delay (never reorders bytes)')
        .option('--bandwidth <bytesPerSec>', 'bandwidth limit per direction')
        .option('--loss-percent <p>', 'random packet loss (iptables statistic match), 0..100')
        .option('--flaky <up:down>', 'intermittent drop: works UP ms, broken DOWN ms, repeatedly');
    }
    command.action(async (target: string | undefined, flags: FaultFlags) => {
      const request = faultRequestFromFlags(kind, target, flags);
      const result = await injectFault(request, flags.seed ? { seed: parseIntOption('--seed', flags.seed, 0, 2 ** 32 - 1) } : {});
      printResult(flags.json, result, describeFault);
    });
  }

  program
    .command('heal')
    .description('undo one fault by id, or every fault with --all (also sweeps what a crashed faultline left)')
    .argument('[id]', 'fault id, e.g. f3')
    .option('--all', 'heal every fault and sweep leftovers')
    .option('--json', 'print as JSON')
    .action(async (id: string | undefined, flags: { all?: boolean; json?: boolean }) => {
      if (!id && !flags.all) throw new UsageError("heal: name a fault id or use --all ('faultline fault list' shows the active ones)");
      if (id && flags.all) throw new UsageError('heal: give a fault id or --all, not both');
      const result = flags.all ? await healAll() : await healFault(id as string);
      printResult(flags.json, result, (r) => [`healed ${r.healed.length === 0 ? 'nothing' : r.healed.join(', ')} in ${r.tookMs.toFixed(1)} ms`, ...r.actions.map((a) => `  ${a}`)].join('\n'));
    });
}
