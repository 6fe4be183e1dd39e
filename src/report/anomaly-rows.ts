import type { AnomalyName, ExactVerdict, LogLocation } from '../checker/verdict.js';

/** Values listed per anomaly in report.html and report.md (the JSON of `faultline check --json` has all). */
export const REPORT_MAX_LISTED = 50;

/** The anomalies a report lists, in this order, with what each means. */
const LISTED_ANOMALIES: readonly { name: AnomalyName; meaning: string }[] = [
  { name: 'lost', meaning: 'acknowledged, never read back' },
  { name: 'duplicate', meaning: 'at more than one offset' },
  { name: 'unexpected', meaning: 'read, never sent' },
  { name: 'reordered', meaning: 'out of send order within a partition' },
  { name: 'lostUnconfirmed', meaning: 'acks=0, never read back; informational' },
  { name: 'recovered', meaning: 'send failed or unknown, yet in the log; informational' },
];

/** One listed value: the value, then where it is as partition and offset text. */
export interface AnomalyRow {
  value: string;
  partition: string;
  offset: string;
  note: string;
}

export interface AnomalyList {
  name: AnomalyName;
  meaning: string;
  total: number;
  rows: AnomalyRow[];
  /** total - rows.length */
  notListed: number;
}

const locations = (reads: readonly LogLocation[], key: 'partition' | 'offset'): string => reads.map((r) => String(r[key])).join(', ');
const orDash = (n: number | null): string => (n === null ? '-' : String(n));

function rowsOf(v: ExactVerdict, name: AnomalyName, max: number): AnomalyRow[] {
  const a = v.anomalies;
  switch (name) {
    case 'lost':
    case 'lostUnconfirmed':
      return a[name].slice(0, max).map((x) => ({ value: x.value, partition: orDash(x.partition), offset: orDash(x.offset), note: 'acknowledged here' }));
    case 'duplicate':
    case 'unexpected':
      return a[name].slice(0, max).map((x) => ({ value: x.value, partition: locations(x.reads, 'partition'), offset: locations(x.reads, 'offset'), note: `read ${x.reads.length} times` }));
    case 'recovered':
      return a.recovered.slice(0, max).map((x) => ({ value: x.value, partition: locations(x.reads, 'partition'), offset: locations(x.reads, 'offset'), note: `send ${x.outcome}` }));
    case 'reordered':
      return a.reordered.slice(0, max).map((x) => ({ value: x.value, partition: String(x.partition), offset: String(x.offset), note: `below ${x.precededBy.value} (sent before it) at offset ${x.precededBy.offset}` }));
  }
}

/** Every anomaly of the exact verdict with at most `max` values listed each. */
export function anomalyLists(v: ExactVerdict, max = REPORT_MAX_LISTED): AnomalyList[] {
  return LISTED_ANOMALIES.map(({ name, meaning }) => {
    const total = v.anomalies[name].length;
    const rows = rowsOf(v, name, Math.max(0, max));
    return { name, meaning, total, rows, notListed: total - rows.length };
  });
}
