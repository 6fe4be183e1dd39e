import { lookup } from 'node:dns/promises';
import { FaultlineError, UsageError } from '../../errors.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import { scriptAnswer } from './remote-hosts.js';

/** Bound on resolving a host name. */
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * $1 remote dir. Prints, one per line: java=PATH (empty when none), client=ADDRESS (the control node as the host
 * sees it), nodes=PIDS (java processes of faultline nodes, of any cluster), writable=yes|no.
 */
const PROBE_SCRIPT = `java=$(command -v java 2>/dev/null || true)
[ -n "$java" ] || { [ -n "\${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java=$JAVA_HOME/bin/java; } || true
echo "java=$java"
echo "client=\${SSH_CONNECTION%% *}"
nodes=
for f in $(grep -l -- '-Dfaultline.node=' /proc/[0-9]*/cmdline 2>/dev/null); do
  p=\${f#/proc/}; p=\${p%/cmdline}
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && nodes="$nodes $p"
done
echo "nodes=$nodes"
d=$1; while [ ! -e "$d" ]; do d=$(dirname "$d"); done
if [ -w "$d" ]; then echo writable=yes; else echo writable=no; fi`;

export interface HostFacts {
  readonly java: string;
  readonly clientAddress: string;
  /** Pids of faultline node JVMs already on the host. */
  readonly faultlineNodes: readonly number[];
}

/** What the SSH provider needs to know of a host before it installs anything there; one clear error per problem. */
export async function probeHost(host: RemoteRunner, remoteDir: string): Promise<HostFacts> {
  const lines = (await scriptAnswer(host, 'probing', PROBE_SCRIPT, [remoteDir])).split('\n');
  const field = (key: string): string => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1).trim() ?? '';
  const name = host.target.host;
  if (field('java') === '') throw new FaultlineError(`host ${name}: no java on PATH or in JAVA_HOME (Kafka needs Java 17 or newer); install one there`);
  if (field('writable') !== 'yes') throw new FaultlineError(`host ${name}: remoteDir ${remoteDir} cannot be created or written by ${host.target.user ?? 'the SSH user'}`);
  const faultlineNodes = field('nodes').split(' ').filter((p) => p !== '').map(Number);
  return { java: field('java'), clientAddress: field('client'), faultlineNodes };
}

/** The IPv4 address the nodes and iptables rules use for a host given by name or address. */
export async function ipv4Of(host: string, index: number): Promise<string> {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new UsageError(`hosts[${index}]: resolving ${host} took over ${LOOKUP_TIMEOUT_MS} ms`)), LOOKUP_TIMEOUT_MS).unref());
  try {
    return (await Promise.race([lookup(host, { family: 4 }), timeout])).address;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`hosts[${index}]: ${host} does not resolve to an IPv4 address (${(error as Error).message})`);
  }
}
