import type { NodeCommandOptions } from './node-commands.js';
import type { SshHostsConfig } from './ssh-config.js';

/** What the state file of an SSH cluster records beyond the local provider's fields. */
export interface SshClusterInfo extends SshHostsConfig, NodeCommandOptions {
  /** Each host as given (name or address) by the IPv4 address the nodes use (a node's `host`). */
  readonly sshHostByAddress: Readonly<Record<string, string>>;
  /** The java each host runs the nodes with, by host as given. */
  readonly javaByHost: Readonly<Record<string, string>>;
  /** The control node's address as the hosts see it (partitions from `clients` cut it). */
  readonly clientAddress: string;
}
