import { readClusterState, removeClusterState } from '../cluster-state.js';
import { readSshHosts, removeSshHosts } from './ssh-config.js';

export interface DetachResult {
  /** The SSH hosts forgotten (empty when none were recorded). */
  readonly hosts: readonly string[];
  /** True when a cluster on them was recorded (and is now forgotten, still running). */
  readonly cluster: boolean;
}

/**
 * Forgets the SSH hosts and the cluster on them without touching either: nothing runs on any host. Later
 * `cluster up` runs locally again. A local cluster's state is left alone.
 */
export function clusterDetach(): DetachResult {
  let hosts: readonly string[] = [];
  try {
    hosts = readSshHosts()?.hosts ?? [];
  } catch {
    // an unreadable hosts file is forgotten all the same
  }
  removeSshHosts();
  let cluster = false;
  try {
    cluster = readClusterState()?.provider === 'ssh';
  } catch {
    cluster = false;
  }
  if (cluster) removeClusterState();
  return { hosts, cluster };
}
