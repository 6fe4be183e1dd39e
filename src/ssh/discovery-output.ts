/** Reads the output of DISCOVERY_SCRIPT (src/ssh/discovery-script.ts) into one raw record per process. */

export interface RawProcessRecord {
  readonly pid: number;
  stat?: string;
  /** The NUL-separated bytes of /proc/PID/cmdline, decoded as UTF-8. */
  cmdline?: string;
  cwd?: string;
  /** The config file's first bytes (MAX_CONFIG_BYTES + 1 at most), or 'unreadable'. */
  config?: Buffer | 'unreadable';
  /** meta.properties text per log dir (as written in the config). */
  readonly metas: [string, string][];
  complete: boolean;
}

export interface RawDiscovery {
  readonly records: RawProcessRecord[];
  /** More candidate processes than the script's bound. */
  readonly more: boolean;
}

const hex = (text: string | undefined): Buffer => Buffer.from(text ?? '', 'hex');

function applyLine(record: RawProcessRecord, words: readonly string[]): void {
  const [key, value, extra] = words;
  if (key === 'stat') record.stat = hex(value).toString('utf8');
  else if (key === 'cmdline') record.cmdline = hex(value).toString('utf8');
  else if (key === 'cwd') record.cwd = hex(value).toString('utf8');
  else if (key === 'config') record.config = hex(value);
  else if (key === 'config-unreadable') record.config = 'unreadable';
  else if (key === 'meta') record.metas.push([hex(value).toString('utf8'), hex(extra).toString('latin1')]);
  else if (key === 'end') record.complete = true;
}

/** Records in output order; a record whose `end` is missing (output cut short) has complete false. */
export function parseDiscoveryOutput(stdout: string): RawDiscovery {
  const records: RawProcessRecord[] = [];
  let more = false;
  for (const line of stdout.split('\n')) {
    const words = line.split(' ');
    const current = records.at(-1);
    if (words[0] === 'process') records.push({ pid: Number(words[1]), metas: [], complete: false });
    else if (words[0] === 'more') more = true;
    else if (current !== undefined) applyLine(current, words);
  }
  return { records, more };
}
