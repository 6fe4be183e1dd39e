/** Reads the output of DISCOVERY_SCRIPT (src/ssh/discovery-script.ts) into one raw record per process. */

export interface RawProcessRecord {
  readonly pid: number;
  startTime?: number;
  /** The NUL-separated bytes of /proc/PID/cmdline. */
  cmdline?: Buffer;
  cwd?: Buffer | 'unreadable';
  /** The config file's first bytes (MAX_CONFIG_BYTES + 1 at most), or 'unreadable'. */
  config?: Buffer | 'unreadable';
  /** [log dir as the config writes it, its meta.properties]. */
  readonly metas: [Buffer, Buffer][];
  complete: boolean;
}

export interface RawDiscovery {
  readonly records: RawProcessRecord[];
  /** More candidate processes than the script's bound. */
  readonly more: boolean;
}

type ValueField = 'cmdline' | 'cwd' | 'config' | 'meta-dir' | 'meta';
const VALUE_FIELDS: readonly string[] = ['cmdline', 'cwd', 'config', 'meta-dir', 'meta'] satisfies ValueField[];

/** Hex lines (`od -An -tx1`: bytes separated by blanks) into bytes. */
const bytesOf = (hexLines: readonly string[]): Buffer => Buffer.from(hexLines.join('').replace(/\s+/g, ''), 'hex');

function store(record: RawProcessRecord, field: ValueField, value: Buffer): void {
  if (field === 'cmdline') record.cmdline = value;
  else if (field === 'cwd') record.cwd = value;
  else if (field === 'config') record.config = value;
  else if (field === 'meta-dir') record.metas.push([value, Buffer.alloc(0)]);
  else {
    const last = record.metas.at(-1);
    if (last !== undefined) last[1] = value;
  }
}

/** Records in output order; a record whose `end` is missing (output cut short) has complete false. */
export function parseDiscoveryOutput(stdout: string): RawDiscovery {
  const records: RawProcessRecord[] = [];
  let more = false;
  let field: { name: ValueField; lines: string[] } | undefined;
  const flush = (): void => {
    const record = records.at(-1);
    if (field !== undefined && record !== undefined) store(record, field.name, bytesOf(field.lines));
    field = undefined;
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(' ')) {
      field?.lines.push(line);
      continue;
    }
    flush();
    const [key = '', value = ''] = line.split(' ');
    const record = records.at(-1);
    if (key === 'process') records.push({ pid: Number(value), metas: [], complete: false });
    else if (key === 'more') more = true;
    else if (record === undefined) continue;
    else if (VALUE_FIELDS.includes(key)) field = { name: key as ValueField, lines: [] };
    else if (key === 'start') record.startTime = Number(value);
    else if (key === 'config-unreadable') record.config = 'unreadable';
    else if (key === 'cwd-unreadable') record.cwd = 'unreadable';
    else if (key === 'end') record.complete = true;
  }
  flush();
  return { records, more };
}
