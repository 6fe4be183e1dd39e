import { posix } from 'node:path';
import { FaultlineError } from '../errors.js';
import { parseDiscoveryOutput, type RawProcessRecord } from './discovery-output.js';
import { parseJavaProperties } from './java-properties.js';
import { readJvmLaunch, type JvmLaunch } from './jvm-launch.js';
import { readKafkaServerConfig, readZooKeeperServerConfig, type KafkaServerConfig, type ZooKeeperServerConfig } from './kafka-config.js';

export type { DiscoveredKind } from './jvm-launch.js';

interface DiscoveredBase {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat: with the pid, names this process (a reused pid has another start time). */
  readonly startTime: number;
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The config argument resolved against cwd (a path as the JVM sees it). */
  readonly configFile: string;
  /** The file as Java's Properties.load reads it (ISO-8859-1). */
  readonly configText: string;
}

export interface DiscoveredKafka extends DiscoveredBase {
  readonly kind: 'kafka';
  /** The file with the command line's `--override`s applied. */
  readonly config: KafkaServerConfig;
  /** config.logDirs resolved against cwd. */
  readonly logDirs: readonly string[];
  /** cluster.id from the first log dir holding a meta.properties; undefined when none was read. */
  readonly clusterId: string | undefined;
  /** node.id (or broker.id) of that meta.properties: the id the broker started with, even if the file changed since. */
  readonly metaNodeId: number | undefined;
}

export interface DiscoveredZooKeeper extends DiscoveredBase {
  readonly kind: 'zookeeper';
  readonly config: ZooKeeperServerConfig;
}

export type DiscoveredProcess = DiscoveredKafka | DiscoveredZooKeeper;

export interface OutputBounds {
  readonly maxProcesses: number;
  readonly maxConfigBytes: number;
}

/**
 * The processes in the discovery script's output (src/ssh/discovery-script.ts). A process that ended meanwhile is
 * left out; a bound passed, a /proc/PID/cwd or config file that cannot be read, is a FaultlineError naming the host.
 */
export function processesFromOutput(hostName: string, stdout: string, bounds: OutputBounds): DiscoveredProcess[] {
  const raw = parseDiscoveryOutput(stdout);
  if (raw.more) throw new FaultlineError(`host ${hostName}: more than ${bounds.maxProcesses} Kafka and ZooKeeper processes (maxProcesses)`);
  const found: DiscoveredProcess[] = [];
  for (const record of raw.records) {
    const process = readRecord(hostName, record, bounds.maxConfigBytes);
    if (process !== undefined) found.push(process);
  }
  return found;
}

/** One record into a process; undefined when it ended meanwhile or is not a server JVM after all. */
function readRecord(hostName: string, record: RawProcessRecord, maxConfigBytes: number): DiscoveredProcess | undefined {
  const argv = (record.cmdline?.toString('utf8') ?? '').split('\0').slice(0, -1);
  const launch = readJvmLaunch(argv);
  const { startTime } = record;
  if (!record.complete || launch === undefined || startTime === undefined || !Number.isSafeInteger(startTime) || record.cwd === undefined) return undefined;
  const what = `host ${hostName}: ${launch.kind === 'kafka' ? 'Kafka' : 'ZooKeeper'} pid ${record.pid}`;
  if (record.cwd === 'unreadable') throw new FaultlineError(`${what}: cannot read /proc/${record.pid}/cwd (connect as root or as the user the JVM runs as)`);
  const cwd = record.cwd.toString('utf8');
  const configFile = posix.resolve(cwd, launch.configArg);
  if (record.config === undefined || record.config === 'unreadable') throw new FaultlineError(`${what}: cannot read its config file ${configFile}`);
  if (record.config.length > maxConfigBytes) throw new FaultlineError(`${what}: its config file ${configFile} exceeds ${maxConfigBytes} bytes (maxConfigBytes)`);
  const base = { pid: record.pid, startTime, argv, cwd, configFile, configText: record.config.toString('latin1') };
  const source = `host ${hostName}: ${configFile}`;
  if (launch.kind === 'zookeeper') {
    return { ...base, kind: 'zookeeper', config: readZooKeeperServerConfig(parseJavaProperties(base.configText, source), source) };
  }
  return { ...base, kind: 'kafka', ...readKafkaSide(base, launch, record.metas, source) };
}

/** The config with the overrides applied, and the first meta.properties among its log dirs (files as Java reads them: ISO-8859-1). */
function readKafkaSide(
  base: { configText: string; cwd: string }, launch: JvmLaunch, metas: readonly [Buffer, Buffer][], source: string,
): Pick<DiscoveredKafka, 'config' | 'logDirs' | 'clusterId' | 'metaNodeId'> {
  const props = parseJavaProperties(base.configText, source);
  for (const [key, value] of launch.overrides) props.set(key, value);
  const config = readKafkaServerConfig(props, source);
  const meta = metas.map(([dir, text]) => [dir.toString('latin1'), text.toString('latin1')] as const)
    .find(([dir]) => config.logDirs.includes(dir));
  const metaProps = meta === undefined ? undefined : parseJavaProperties(meta[1], `${source}: ${meta[0]}/meta.properties`);
  const metaId = (metaProps?.get('node.id') ?? metaProps?.get('broker.id') ?? '').trim();
  return {
    config,
    logDirs: config.logDirs.map((dir) => posix.resolve(base.cwd, dir)),
    clusterId: metaProps?.get('cluster.id'),
    metaNodeId: /^\d+$/.test(metaId) ? Number(metaId) : undefined,
  };
}
