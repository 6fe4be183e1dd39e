import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { readJsonFile, writeJsonFileAtomic } from '../util/json-file.js';

/** One lab host as recorded. */
export interface LabHost {
  readonly name: string;
  readonly address: string;
  readonly namespace: string;
  /** The `unshare` that holds the host's PID namespace; killing it ends every process of the host. */
  readonly pid: number;
}

/** The lab as recorded in <labDir>/lab.json; the lab module is its only writer. */
export interface LabState {
  readonly formatVersion: 1;
  readonly createdAt: string;
  readonly controlAddress: string;
  /** The private key every lab host accepts for root. */
  readonly keyFile: string;
  /** Where each host has its own tmpfs (what a remote directory on a real host would be). */
  readonly remoteDir: string;
  readonly diskMb: number;
  readonly hosts: readonly LabHost[];
}

/**
 * The lab's own folder on the control node: keys, sshd configs, logs. Not under /tmp (each lab host mounts
 * its own /tmp, and its sshd must still read its config). Override with FAULTLINE_LAB_DIR.
 */
export function labDir(): string {
  const dir = process.env['FAULTLINE_LAB_DIR'] ?? '/var/lib/faultline-lab';
  if (!dir.startsWith('/') || dir === '/tmp' || dir.startsWith('/tmp/')) {
    throw new UsageError(`FAULTLINE_LAB_DIR: expected an absolute path outside /tmp, got '${dir}'`);
  }
  return dir;
}

function labStatePath(): string {
  return join(labDir(), 'lab.json');
}

export function readLabState(): LabState | undefined {
  return readJsonFile(labStatePath(), 'lab state file', "run 'faultline lab down'") as LabState | undefined;
}

export function writeLabState(state: LabState): void {
  writeJsonFileAtomic(labStatePath(), state);
}

export function removeLabState(): void {
  rmSync(labStatePath(), { force: true });
}
