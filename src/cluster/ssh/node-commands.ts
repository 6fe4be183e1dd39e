/**
 * How an attached node is started and stopped on its host: the command line it was found running with (default),
 * the start scripts of the Kafka installation there (`kafkaHome`), or the user's own commands (`startCommand`,
 * `stopCommand`, e.g. `systemctl start kafka`). Signals (kill, terminate, pause, resume) always go to the pid.
 */
import { UsageError } from '../../errors.js';
import { readJvmLaunch } from '../../ssh/jvm-launch.js';
import type { NodeState } from '../cluster-state.js';

/** A start or stop command longer than this is a mistake (it travels as one argument on every start). */
const MAX_COMMAND_CHARS = 4096;

export interface NodeCommandOptions {
  /** A shell command (`sh -c`) that starts the node on its host; FAULTLINE_* variables name the node (docs/ssh.md). */
  readonly startCommand?: string;
  /** A shell command that stops the node gracefully (`cluster down`); the node's pid is in FAULTLINE_PID. */
  readonly stopCommand?: string;
  /** Kafka's installation folder on the hosts: nodes start with its bin/kafka-server-start.sh (or zookeeper-server-start.sh). */
  readonly kafkaHome?: string;
}

function checkCommand(field: string, command: string | undefined): void {
  if (command === undefined) return;
  if (command.trim() === '' || command.includes('\0') || command.length > MAX_COMMAND_CHARS) {
    throw new UsageError(`${field}: expected a shell command of 1..${MAX_COMMAND_CHARS} characters without NUL, got ${JSON.stringify(command.slice(0, 80))}`);
  }
}

/** Checks the fields before anything connects; returns only the ones given. */
export function resolveNodeCommands(options: NodeCommandOptions): NodeCommandOptions {
  checkCommand('startCommand', options.startCommand);
  checkCommand('stopCommand', options.stopCommand);
  const home = options.kafkaHome?.replace(/\/+$/, '');
  if (home !== undefined && (!/^\/[^\0\n]*$/.test(options.kafkaHome ?? '') || home === '' || home.split('/').includes('..'))) {
    throw new UsageError(`kafkaHome: expected an absolute path on the hosts, got ${JSON.stringify(options.kafkaHome)}`);
  }
  return {
    ...(options.startCommand !== undefined ? { startCommand: options.startCommand } : {}),
    ...(options.stopCommand !== undefined ? { stopCommand: options.stopCommand } : {}),
    ...(home !== undefined ? { kafkaHome: home } : {}),
  };
}

/** The start script of a Kafka installation for a node of this role. */
export function startScriptOf(kafkaHome: string, role: NodeState['role']): string {
  return `${kafkaHome}/bin/${role === 'zookeeper' ? 'zookeeper-server-start.sh' : 'kafka-server-start.sh'}`;
}

/** The variables a start or stop command sees: which node, its id, role, config file, pid and (when given) KAFKA_HOME. */
function commandEnv(node: NodeState, kafkaHome: string | undefined): string[] {
  return [
    `FAULTLINE_NODE=${node.name}`, `FAULTLINE_NODE_ID=${node.id}`, `FAULTLINE_ROLE=${node.role}`,
    `FAULTLINE_CONFIG=${node.marker}`, `FAULTLINE_PID=${node.pid}`,
    ...(kafkaHome !== undefined ? [`KAFKA_HOME=${kafkaHome}`] : []),
  ];
}

/** The command that starts an attached node: the start command, else the installation's start script, else its own command line. */
export function attachedStartArgv(commands: NodeCommandOptions, node: NodeState, argv: readonly string[]): string[] {
  if (commands.startCommand !== undefined) return ['env', ...commandEnv(node, commands.kafkaHome), 'sh', '-c', commands.startCommand];
  const launch = readJvmLaunch(argv);
  if (commands.kafkaHome !== undefined && launch) return [startScriptOf(commands.kafkaHome, node.role), ...launch.serverArgs];
  return [...argv];
}

/** The stop command of a node as a command line for its host, or undefined when none is configured. */
export function stopArgv(commands: NodeCommandOptions, node: NodeState): string[] | undefined {
  if (commands.stopCommand === undefined) return undefined;
  return ['env', ...commandEnv(node, commands.kafkaHome), 'sh', '-c', commands.stopCommand];
}
