/** What a JVM's command line says about a Kafka or ZooKeeper server (docs/ssh.md, "Attaching"). */

export type DiscoveredKind = 'kafka' | 'zookeeper';

const MAIN_CLASSES: readonly (readonly [string, DiscoveredKind])[] = [
  ['kafka.Kafka', 'kafka'],
  ['org.apache.zookeeper.server.quorum.QuorumPeerMain', 'zookeeper'],
];

export interface JvmLaunch {
  readonly kind: DiscoveredKind;
  /** The argument right after the main class, as given (relative to the process's cwd when not absolute). */
  readonly configArg: string;
  /** Kafka's `--override key=value` arguments after the config file, in order. */
  readonly overrides: readonly (readonly [string, string])[];
  /** Every argument after the main class (the config file first): what Kafka's and ZooKeeper's start scripts pass on. */
  readonly serverArgs: readonly string[];
}

/** argv[0] is a java launcher: `java`, `/usr/lib/jvm/.../bin/java`, `java17`. */
function isJavaLauncher(arg0: string): boolean {
  return arg0.slice(arg0.lastIndexOf('/') + 1).startsWith('java');
}

function overridesAfter(argv: readonly string[], start: number): [string, string][] {
  const out: [string, string][] = [];
  for (let i = start; i < argv.length - 1; i++) {
    const pair = argv[i + 1] ?? '';
    const eq = pair.indexOf('=');
    if (argv[i] !== '--override' || eq <= 0) continue;
    out.push([pair.slice(0, eq), pair.slice(eq + 1)]);
    i++;
  }
  return out;
}

/**
 * The server a command line runs: a java launcher (argv[0]) whose first argument equal to a main class is followed by
 * the config file (Kafka and ZooKeeper both read their first argument as it). Undefined for anything else.
 */
export function readJvmLaunch(argv: readonly string[]): JvmLaunch | undefined {
  if (!isJavaLauncher(argv[0] ?? '')) return undefined;
  const index = argv.findIndex((arg, i) => i > 0 && MAIN_CLASSES.some(([mainClass]) => mainClass === arg));
  const kind = MAIN_CLASSES.find(([mainClass]) => mainClass === argv[index])?.[1];
  const configArg = argv[index + 1] ?? '';
  if (index < 0 || kind === undefined || configArg === '') return undefined;
  return { kind, configArg, overrides: kind === 'kafka' ? overridesAfter(argv, index + 2) : [], serverArgs: argv.slice(index + 1) };
}
