import { UsageError } from '../errors.js';

/** One entry of `listeners` / `advertised.listeners`: `NAME://host:port`; host '' means every interface. */
export interface ListenerEndpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** One entry of `controller.quorum.voters`: `id@host:port`. */
export interface QuorumVoter {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, `[v6]:port` or `:port` (host ''); `field` names the property in the error. */
export function parseHostPort(raw: string, field: string): HostPort {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(raw.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535) throw new UsageError(`${field}: '${raw}' is not host:port`);
  return { host: match[1] ?? match[2] ?? '', port };
}

function entries(raw: string): string[] {
  return raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

export function parseListeners(raw: string, field: string): ListenerEndpoint[] {
  return entries(raw).map((entry) => {
    const sep = entry.indexOf('://');
    if (sep <= 0) throw new UsageError(`${field}: '${entry}' is not NAME://host:port`);
    return { name: entry.slice(0, sep).toUpperCase(), ...parseHostPort(entry.slice(sep + 3), field) };
  });
}

export function parseQuorumVoters(raw: string, field: string): QuorumVoter[] {
  return entries(raw).map((entry) => {
    const at = entry.indexOf('@');
    const id = Number(entry.slice(0, at));
    if (at <= 0 || !Number.isInteger(id) || id < 0) throw new UsageError(`${field}: '${entry}' is not id@host:port`);
    return { id, ...parseHostPort(entry.slice(at + 1), field) };
  });
}

export function parseHostPorts(raw: string, field: string): HostPort[] {
  return entries(raw).map((entry) => parseHostPort(entry, field));
}

/** A listener host that binds every interface ('' or the wildcard addresses): Kafka advertises the host's name. */
export function isWildcardHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** ZooKeeper's default client port: a `zookeeper.connect` server without a port uses it. */
const ZOOKEEPER_DEFAULT_CLIENT_PORT = 2181;

export interface ZooKeeperConnect {
  readonly servers: HostPort[];
  /** The path after the servers ('/kafka' in `h1:2181,h2:2181/kafka`), '' when none. */
  readonly chroot: string;
}

/** `zookeeper.connect`: `host[:port],...[/chroot]`. */
export function parseZooKeeperConnect(raw: string, field: string): ZooKeeperConnect {
  const slash = raw.indexOf('/');
  const chroot = slash < 0 ? '' : raw.slice(slash).trim();
  const servers = entries(slash < 0 ? raw : raw.slice(0, slash)).map((entry) =>
    /:\d+$/.test(entry) ? parseHostPort(entry, field) : { host: entry, port: ZOOKEEPER_DEFAULT_CLIENT_PORT });
  if (servers.length === 0) throw new UsageError(`${field}: '${raw}' names no server`);
  return { servers, chroot };
}
