import type { SshHost } from '../../ssh/ssh-host.js';
import type { ClusterSummary } from '../cluster-summary.js';

/**
 * A command start on a host above this earns a warning: every faultline process opens one persistent shell per
 * host, and the user's login shell (with its startup files) runs for it, before the first fault takes effect.
 */
export const SLOW_COMMAND_START_MS = 1_000;

/**
 * Times one `true` through a channel of its own over the host's open master: the SSH user's login shell starts for
 * it as it does for every faultline command's first command there (a `~/.bashrc` that runs `pyenv init` took 3.4 s).
 */
export async function commandStartMs(ssh: SshHost): Promise<number> {
  const started = performance.now();
  await ssh.run(['true']);
  return performance.now() - started;
}

/** The warning for a host whose command start took `ms`, or undefined when it is quick enough. */
export function slowStartWarning(host: string, ms: number, thresholdMs = SLOW_COMMAND_START_MS): string | undefined {
  if (ms <= thresholdMs) return undefined;
  return `host ${host}: a command takes ${Math.round(ms)} ms to start there (the SSH user's login shell and its startup files, e.g. ~/.bashrc, run for each); every faultline command pays this once per host before its first fault takes effect`;
}

/** The summary with a warning per host whose command start was slow (unchanged when none was). */
export function withSlowStartWarnings(summary: ClusterSummary, starts: readonly { readonly name: string; readonly startMs: number }[]): ClusterSummary {
  const warnings = starts.flatMap((s) => slowStartWarning(s.name, s.startMs) ?? []);
  return warnings.length > 0 ? { ...summary, warnings } : summary;
}
