import { FaultlineError } from '../errors.js';
import { readClusterState, type ClusterState } from './cluster-state.js';
import { localProvider } from './local-provider.js';
import { PROVIDER_KINDS, type ClusterProvider } from './provider.js';
import { sshProvider } from './ssh/ssh-provider.js';

/** The provider a cluster's state file names; files written before the field existed are local. */
export function providerOf(state: Pick<ClusterState, 'provider'>): ClusterProvider {
  const kind: string = state.provider ?? 'local';
  if (kind === 'local') return localProvider;
  if (kind === 'ssh') return sshProvider;
  throw new FaultlineError(`the cluster state names provider '${kind}', which this faultline does not know (it knows ${PROVIDER_KINDS.join(', ')}); run 'faultline cluster down' or a newer faultline`);
}

/**
 * The provider of the recorded cluster, for heals: the local one when no cluster is recorded or its state file
 * is unreadable, so a heal can still sweep what the local provider made.
 */
export function recordedProvider(): ClusterProvider {
  let state: ClusterState | undefined;
  try {
    state = readClusterState();
  } catch {
    return localProvider;
  }
  return state ? providerOf(state) : localProvider;
}
