import type { Command } from 'commander';
import {
  clusterDown, clusterReset, clusterUp, findNode, observedClusterStatus, readNodeLog, requireClusterState, resolveKafkaDistribution,
  DEFAULT_BROKERS, DEFAULT_DISK_MB, DEFAULT_HEAP_MB, DEFAULT_KAFKA_VERSION, DEFAULT_START_TIMEOUT_MS, DEFAULT_ZOOKEEPER_KAFKA_VERSION,
  MAX_BROKERS, MAX_DISK_MB, MAX_HEAP_MB, MAX_START_TIMEOUT_MS, METADATA_MODES, MIN_DISK_MB, MIN_HEAP_MB, MIN_START_TIMEOUT_MS,
  type ClusterOwner, type ClusterSummary, type MetadataMode,
  clusterAttach, clusterDetach, DEFAULT_REMOTE_DIR, DEFAULT_UNDO_AFTER_MS, MAX_UNDO_AFTER_MS, MIN_UNDO_AFTER_MS, PROVIDER_KINDS, UsageError,
  type ProviderKind, type SshHostsOptions,
} from '../index.js';
import { interruptSignal } from './interrupt.js';
import { choiceOption, intOption } from './options.js';
import { printResult, progress, table } from './output.js';
import { collect, parseKeyValues } from './parse.js';

/** Lines `cluster logs --tail` prints at most. */
const MAX_TAIL_LINES = 1_000_000;

/** How `cluster status` says who started it: 'by hand' or 'by a suite run (pid N)'. */
function describeOwner(owner: ClusterOwner): string {
  return owner.kind === 'suite' ? `by a suite run (pid ${owner.pid})` : 'by hand';
}

function describeCluster(summary: ClusterSummary): string {
  return [
    `bootstrap: ${summary.bootstrap}`,
    `kafka ${summary.kafkaVersion}, metadata ${summary.mode}, cluster id ${summary.clusterId}`,
    `started ${summary.createdAt} ${describeOwner(summary.owner)}`,
    table(['id', 'name', 'role', 'host', 'pid', 'state', 'log'], summary.nodes.map((n) => [n.id, n.name, n.role, `${n.host}:${n.port}`, n.pid, n.state, n.logFile])),
    ...(summary.warnings ?? []).map((w) => `warning: ${w}`),
  ].join('\n');
}

/** Flag values as commander hands them over: numbers parsed, the mode one of METADATA_MODES. */
interface UpFlags {
  brokers: number;
  metadata: MetadataMode;
  kafkaVersion?: string;
  set?: string[];
  heapMb: number;
  diskMb: number;
  startTimeoutMs: number;
  json?: boolean;
  provider?: ProviderKind;
  hosts?: string;
  sshUser?: string;
  sshKey?: string;
  sshPort?: number;
  remoteDir?: string;
  undoAfterMs?: number;
}

/** The SSH hosts of `cluster up --hosts ...`; undefined without --hosts (recorded hosts, if any, are used then). */
function sshOptionsOf(flags: UpFlags): SshHostsOptions | undefined {
  if (flags.hosts === undefined) {
    if (flags.sshUser ?? flags.sshKey ?? flags.sshPort ?? flags.remoteDir ?? flags.undoAfterMs) throw new UsageError('--ssh-user, --ssh-key, --ssh-port, --remote-dir and --undo-after-ms need --hosts');
    return undefined;
  }
  if (flags.provider === 'local') throw new UsageError('--hosts: the local provider runs every node on this machine; use --provider ssh');
  return {
    hosts: flags.hosts.split(','),
    ...(flags.sshUser !== undefined ? { user: flags.sshUser } : {}),
    ...(flags.sshKey !== undefined ? { keyFile: flags.sshKey } : {}),
    ...(flags.sshPort !== undefined ? { port: flags.sshPort } : {}),
    ...(flags.remoteDir !== undefined ? { remoteDir: flags.remoteDir } : {}),
    ...(flags.undoAfterMs !== undefined ? { undoAfterMs: flags.undoAfterMs } : {}),
  };
}

interface AttachFlags {
  hosts: string;
  kafkaHome?: string;
  startCommand?: string;
  stopCommand?: string;
}

/** The SSH flags `cluster up` and `cluster attach` share. */
function addSshOptions(command: Command): Command {
  return command
    .option('--ssh-user <user>', 'SSH user on the hosts (default: your ssh configuration)')
    .option('--ssh-key <file>', 'private key for the hosts (default: your ssh configuration and agent)')
    .addOption(intOption('--ssh-port <port>', 'SSH port of the hosts', 1, 65_535))
    .option('--remote-dir <dir>', `faultline's folder on every host (default ${DEFAULT_REMOTE_DIR})`)
    .addOption(intOption('--undo-after-ms <ms>', `a fault on a host undoes itself after this long unless healed first (${MIN_UNDO_AFTER_MS}..${MAX_UNDO_AFTER_MS}, default ${DEFAULT_UNDO_AFTER_MS}); set it above a scenario's longest fault`, MIN_UNDO_AFTER_MS, MAX_UNDO_AFTER_MS));
}

export function registerClusterCommand(program: Command): void {
  const cluster = program.command('cluster').description('a real Kafka cluster: here, one JVM per node each in its own network namespace, or on SSH hosts (--provider ssh, attach)');
  registerUpCommand(cluster);
  registerLifecycleCommands(cluster);
  registerInspectCommands(cluster);
}

function registerUpCommand(cluster: Command): void {
  const up = cluster
    .command('up')
    .description('start a cluster and wait until every broker is registered')
    .addOption(intOption('--brokers <n>', `number of brokers (1..${MAX_BROKERS})`, 1, MAX_BROKERS).default(DEFAULT_BROKERS))
    .addOption(choiceOption('--metadata <mode>', 'kraft (combined broker+controller nodes), kraft-dedicated (3 controllers + N brokers) or zookeeper (1 ZooKeeper + N brokers, Kafka 3.9)', METADATA_MODES).default('kraft'))
    .option('--kafka-version <v>', `Kafka version from Maven Central (default ${DEFAULT_KAFKA_VERSION}; ${DEFAULT_ZOOKEEPER_KAFKA_VERSION} for zookeeper)`)
    .option('--set <key=value>', 'Kafka broker setting, repeatable (overrides faultline defaults)', collect)
    .addOption(intOption('--heap-mb <mb>', `JVM heap per node in MiB (${MIN_HEAP_MB}..${MAX_HEAP_MB})`, MIN_HEAP_MB, MAX_HEAP_MB).default(DEFAULT_HEAP_MB))
    .addOption(intOption('--disk-mb <mb>', `size of each node's tmpfs data directory in MiB (${MIN_DISK_MB}..${MAX_DISK_MB}; what fill-disk fills); local provider only: on SSH hosts the data lives on the host's own disk, which fill-disk fills`, MIN_DISK_MB, MAX_DISK_MB).default(DEFAULT_DISK_MB))
    .addOption(intOption('--start-timeout-ms <ms>', 'give up when start-up takes longer', MIN_START_TIMEOUT_MS, MAX_START_TIMEOUT_MS).default(DEFAULT_START_TIMEOUT_MS))
    .addOption(intOption('--timeout-ms <ms>', 'the same as --start-timeout-ms (its older name)', MIN_START_TIMEOUT_MS, MAX_START_TIMEOUT_MS).hideHelp())
    .option('--json', 'print the cluster as JSON')
    .addOption(choiceOption('--provider <kind>', 'local (namespaces on this machine) or ssh (one node per host in --hosts); default: ssh when SSH hosts are recorded, else local', PROVIDER_KINDS))
    .option('--hosts <h1,h2,...>', 'provider ssh: the hosts, one node each (ZooKeeper or the controllers first, then the brokers); recorded for later clusters until `cluster detach`');
  addSshOptions(up).action(async (flags: UpFlags & { timeoutMs?: number }) => {
      const started = Date.now();
      const ssh = sshOptionsOf(flags);
      const summary = await clusterUp({
        ...(flags.provider !== undefined ? { provider: flags.provider } : ssh ? { provider: 'ssh' as const } : {}),
        ...(ssh ? { ssh } : {}),
        brokers: flags.brokers,
        metadata: flags.metadata,
        ...(flags.kafkaVersion ? { kafkaVersion: flags.kafkaVersion } : {}),
        settings: parseKeyValues('--set', flags.set ?? []),
        heapMb: flags.heapMb,
        diskMb: flags.diskMb,
        startTimeoutMs: flags.timeoutMs ?? flags.startTimeoutMs,
        signal: interruptSignal(),
        log: progress,
      });
      progress(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      printResult(flags.json, summary, describeCluster);
    });
}

/** fetch, down, reset: what makes, removes or replaces things. */
function registerLifecycleCommands(cluster: Command): void {
  const attach = cluster
    .command('attach')
    .description('put a running Kafka cluster on SSH hosts under faultline: finds each host\'s broker (or ZooKeeper) process, its id and role, and records the cluster; changes nothing on any host')
    .requiredOption('--hosts <h1,h2,...>', 'every host of the cluster (brokers, controllers, ZooKeeper)')
    .option('--kafka-home <dir>', 'Kafka\'s installation on the hosts: a node is started again with its bin/kafka-server-start.sh (default: the command line it was found running with)')
    .option('--start-command <cmd>', 'shell command that starts a node on its host, e.g. "systemctl start kafka" (variables: FAULTLINE_NODE, FAULTLINE_NODE_ID, FAULTLINE_ROLE, FAULTLINE_CONFIG, FAULTLINE_PID, and KAFKA_HOME with --kafka-home)')
    .option('--stop-command <cmd>', 'shell command that stops a node on its host for `cluster down --yes` (also FAULTLINE_PID); faults still signal the pid')
    .option('--json', 'print the cluster as JSON');
  addSshOptions(attach).action(async (flags: Pick<UpFlags, 'sshUser' | 'sshKey' | 'sshPort' | 'remoteDir' | 'undoAfterMs' | 'json'> & AttachFlags) => {
    const ssh = sshOptionsOf({ ...flags, provider: 'ssh' } as UpFlags);
    if (!ssh) throw new UsageError('--hosts: expected at least one host');
    const commands = {
      ...(flags.kafkaHome !== undefined ? { kafkaHome: flags.kafkaHome } : {}),
      ...(flags.startCommand !== undefined ? { startCommand: flags.startCommand } : {}),
      ...(flags.stopCommand !== undefined ? { stopCommand: flags.stopCommand } : {}),
    };
    printResult(flags.json, await clusterAttach({ ...ssh, ...commands }), describeCluster);
  });

  cluster
    .command('detach')
    .description('forget the SSH hosts and the cluster on them without touching either (later clusters run locally)')
    .option('--json', 'print what was forgotten as JSON')
    .action((flags: { json?: boolean }) => {
      const result = clusterDetach();
      printResult(flags.json, result, (r) => (r.hosts.length === 0 && !r.cluster ? 'no SSH hosts were recorded' : `forgot ${r.hosts.length} SSH hosts (${r.hosts.join(', ')})${r.cluster ? ' and the cluster on them (still running there)' : ''}`));
    });

  cluster
    .command('fetch')
    .description('fetch a Kafka distribution from Maven Central into the cache (cluster up does this on demand)')
    .option('--kafka-version <v>', 'Kafka version', DEFAULT_KAFKA_VERSION)
    .option('--json', 'print as JSON')
    .action(async (flags: { kafkaVersion: string; json?: boolean }) => {
      const dist = await resolveKafkaDistribution(flags.kafkaVersion, progress);
      printResult(flags.json, dist, (d) => `Kafka ${d.version}: ${d.libDir}`);
    });

  cluster
    .command('down')
    .description('stop every node and remove every namespace and veth faultline made (on SSH hosts: the nodes, their folders, rules and undos)')
    .option('--yes', 'also stop the nodes of an attached cluster (one faultline did not install): with its --stop-command, else by SIGKILL')
    .option('--json', 'print what was stopped and removed as JSON')
    .action(async (flags: { json?: boolean; yes?: boolean }) => {
      const result = await clusterDown({ yes: flags.yes === true });
      printResult(flags.json, result, (r) => (r.stopped.length + r.removed.length === 0 ? 'nothing to stop' : [...r.stopped.map((s) => `stopped ${s}`), ...r.removed.map((s) => `removed ${s}`)].join('\n')));
    });

  cluster
    .command('reset')
    .description('replace the cluster by a fresh, empty one of the same shape')
    .option('--json', 'print the new cluster as JSON')
    .action(async (flags: { json?: boolean }) => {
      const summary = await clusterReset({ signal: interruptSignal(), log: progress });
      printResult(flags.json, summary, describeCluster);
    });
}

/** status, logs: read-only. */
function registerInspectCommands(cluster: Command): void {
  cluster
    .command('status')
    .description('show the cluster: who started it, nodes, pids, states, bootstrap servers')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const summary = await observedClusterStatus();
      if (!summary) {
        printResult(flags.json, { running: false, nodes: [] }, () => 'no cluster (start one with: faultline cluster up)');
        return;
      }
      printResult(flags.json, { running: true, ...summary }, () => describeCluster(summary));
    });

  cluster
    .command('logs')
    .description("print a node's log (by name n1/c1/zk or id)")
    .argument('<node>', 'node name or id')
    .addOption(intOption('--tail <lines>', 'only the last lines', 1, MAX_TAIL_LINES))
    .option('--path', 'print only the log file path')
    .action(async (nodeName: string, flags: { tail?: number; path?: boolean }) => {
      if (flags.path) {
        process.stdout.write(findNode(requireClusterState(), nodeName).logFile + '\n');
        return;
      }
      const text = await readNodeLog(nodeName, flags.tail);
      process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    });
}
