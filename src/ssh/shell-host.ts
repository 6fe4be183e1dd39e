import { RemoteShell, REMOTE_SHELL_MAX_STDIN_BYTES } from './remote-shell.js';
import type { SshHost, SshRunOptions, SshRunResult } from './ssh-host.js';
import type { SshTarget } from './ssh-target.js';

/** What runs commands on a host: an SshHost (a channel per command) or a ShellHost (one persistent shell). */
export interface RemoteRunner {
  readonly target: SshTarget;
  run(argv: readonly string[], options?: SshRunOptions): Promise<SshRunResult>;
}

/**
 * A host for the SSH provider: commands through the host's persistent shell (RemoteShell: milliseconds, not a
 * spawned ssh client per command), a body too large for it through a channel of its own.
 */
export class ShellHost implements RemoteRunner {
  readonly ssh: SshHost;
  private readonly shell: RemoteShell;

  constructor(ssh: SshHost) {
    this.ssh = ssh;
    this.shell = new RemoteShell(ssh);
  }

  get target(): SshTarget {
    return this.ssh.target;
  }

  run(argv: readonly string[], options: SshRunOptions = {}): Promise<SshRunResult> {
    if (Buffer.byteLength(options.stdin ?? '') > REMOTE_SHELL_MAX_STDIN_BYTES) return this.ssh.run(argv, options);
    return this.shell.run(argv, options);
  }
}
