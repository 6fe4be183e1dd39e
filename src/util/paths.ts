import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where faultline keeps live state: the cluster, the heal registry. Override with FAULTLINE_HOME. */
export function faultlineHome(): string {
  return process.env['FAULTLINE_HOME'] ?? join(homedir(), '.faultline');
}

/** Where downloaded artifacts are cached across runs (Kafka jars). Override with FAULTLINE_CACHE. */
export function faultlineCache(): string {
  return process.env['FAULTLINE_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'faultline');
}
