import { after, before } from 'node:test';
import { SshHost } from '../../../src/ssh/ssh-host.js';
import { startLocalSshd, type LocalSshd } from './local-sshd.js';

export interface LocalHost {
  readonly sshd: LocalSshd;
  /** The sshd's host, its master open. */
  readonly host: SshHost;
}

export interface FixtureHooks {
  /** Runs once the host is open (one hook: node:test does not wait for one before hook before the next). */
  readonly started?: (local: LocalHost) => void;
  /** Runs first in the after hook (close what uses the host). */
  readonly stopping?: () => Promise<void>;
}

/** Registers the file's before/after hooks: a local sshd and an open SshHost on it; the getter is for the tests. */
export function localHostFixture(hooks: FixtureHooks = {}): () => LocalHost {
  let fixture: LocalHost | undefined;
  before(async () => {
    const sshd = await startLocalSshd();
    const host = new SshHost(sshd.target);
    await host.open();
    fixture = { sshd, host };
    hooks.started?.(fixture);
  });
  after(async () => {
    await hooks.stopping?.();
    await fixture?.host.close();
    await fixture?.sshd.stop();
  });
  return () => {
    if (fixture === undefined) throw new Error('the local sshd has not started (used outside a test?)');
    return fixture;
  };
}
