import { statSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Group or other permission bits: ssh refuses such a key ("UNPROTECTED PRIVATE KEY FILE") and says only "Permission denied". */
const GROUP_OTHER_MODE_BITS = 0o077;

/** Checks locally, before any connection, what ssh would refuse with a misleading message. */
export function checkKeyFile(keyFile: string): void {
  let mode: number;
  try {
    mode = statSync(keyFile).mode;
  } catch {
    throw new UsageError(`keyFile: ${keyFile} does not exist`);
  }
  if ((mode & GROUP_OTHER_MODE_BITS) !== 0) {
    throw new UsageError(`keyFile: ${keyFile} is accessible by others (mode ${(mode & 0o777).toString(8)}; ssh refuses it, chmod 600 it)`);
  }
}
