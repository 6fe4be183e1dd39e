import { countText } from './checker.js';
import type { PipelineFindings } from './pipeline-findings.js';
import type { KeyCountRow, KeyCountTally, RepeatedCount } from './pipeline-key-counts.js';
import type { PipelineCase, PipelineKeyCounts } from './pipeline-verdict.js';

/** A key-level case: the key in `value`, no input or record location. */
const keyCase = (key: string, detail: string): PipelineCase => ({ value: key, input: null, record: null, detail });

function repeatText(r: RepeatedCount): string {
  return r.firstId === r.id ? `count ${r.count} for id ${r.id} again` : `count ${r.count} for id ${r.firstId}, then id ${r.id}`;
}

/** `key k9: 1 record repeats a count (1 of another id, 0 replayed): count 39 for id 479, then id 9`. */
function repeatedDetail(key: string, row: KeyCountRow): string {
  const total = row.sameId + row.otherId;
  const split = `${row.otherId.toLocaleString('en-US')} of another id, ${row.sameId.toLocaleString('en-US')} replayed`;
  return `key ${key}: ${countText(total, 'record')} ${total === 1 ? 'repeats' : 'repeat'} a count (${split}): ${row.repeatedExamples.map(repeatText).join('; ')}`;
}

function missingDetail(key: string, row: KeyCountRow, missing: { counts: number; first: number[] }): string {
  const more = missing.counts > missing.first.length ? ', ...' : '';
  return `key ${key}: ${countText(missing.counts, 'count')} below its highest (${row.maxCount.toLocaleString('en-US')}) in no output record: ${missing.first.join(', ')}${more}`;
}

function malformedDetail(key: string, row: KeyCountRow): string {
  return `key ${key}: ${countText(row.malformed, 'output record')} without a positive count in range: ${row.malformedExamples.join(', ')}`;
}

/**
 * The per-key count check over the tally: each key's deviations noted as findings (one case per key and kind,
 * counted in keys), and the totals.
 */
export function judgeKeyCounts(tally: KeyCountTally, findings: PipelineFindings): PipelineKeyCounts {
  const rows = tally.rows();
  const t: PipelineKeyCounts = { keys: rows.length, records: 0, inconsistentKeys: 0, repeated: { keys: 0, sameId: 0, otherId: 0 }, missing: { keys: 0, counts: 0 }, malformed: { keys: 0, records: 0 } };
  for (const [key, row] of rows) {
    const missing = row.missing();
    const repeated = row.sameId + row.otherId;
    t.records += row.records;
    t.repeated.sameId += row.sameId;
    t.repeated.otherId += row.otherId;
    t.missing.counts += missing.counts;
    t.malformed.records += row.malformed;
    if (repeated > 0) {
      t.repeated.keys++;
      findings.note('key-count-repeated', () => keyCase(key, repeatedDetail(key, row)));
    }
    if (missing.counts > 0) {
      t.missing.keys++;
      findings.note('key-count-missing', () => keyCase(key, missingDetail(key, row, missing)));
    }
    if (row.malformed > 0) {
      t.malformed.keys++;
      findings.note('key-count-malformed', () => keyCase(key, malformedDetail(key, row)));
    }
    if (repeated + missing.counts + row.malformed > 0) t.inconsistentKeys++;
  }
  return t;
}
