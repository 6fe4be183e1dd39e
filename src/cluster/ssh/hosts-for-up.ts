import { UsageError } from '../../errors.js';
import type { ClusterUpOptions } from '../cluster-options.js';
import { PROVIDER_KINDS } from '../provider.js';
import { resolveSshHosts, type SshHostsConfig } from './ssh-config.js';

/**
 * The SSH hosts a new cluster goes to (undefined: this machine). Given hosts win (and are recorded from then on);
 * `provider: 'local'` means here; `provider: 'ssh'` takes the recorded hosts, those of an attached cluster too (the
 * cluster installed there now is faultline's own, so no longer `attached`); no provider follows recorded hosts
 * faultline installed on, not an attached cluster's.
 */
export function sshHostsForUp(options: Pick<ClusterUpOptions, 'provider' | 'ssh'>, readRecorded: () => SshHostsConfig | undefined): SshHostsConfig | undefined {
  if (options.provider !== undefined && !PROVIDER_KINDS.includes(options.provider)) {
    throw new UsageError(`provider: expected one of ${PROVIDER_KINDS.join(', ')}, got '${options.provider as string}'`);
  }
  if (options.provider === 'local') return undefined;
  if (options.ssh) return resolveSshHosts(options.ssh);
  const recorded = readRecorded();
  if (options.provider === 'ssh') {
    if (!recorded) throw new UsageError('ssh: provider ssh needs hosts (none are recorded)');
    return { ...recorded, attached: false };
  }
  return recorded && !recorded.attached ? recorded : undefined;
}
