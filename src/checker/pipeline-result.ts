import { OUT_READER_LIVE, type OutEndRecord } from '../history/output-record.js';
import type { PipelineMeta } from '../history/pipeline-meta.js';
import { countText, type Validity } from './checker.js';
import type { PipelineReading } from './pipeline-checker.js';
import type { PipelineFindings } from './pipeline-findings.js';
import { judgeKeyCounts } from './pipeline-key-count-findings.js';
import { tallyValues, type ValueCounts } from './pipeline-tally.js';
import { KEY_COUNT_FINDING_NAMES, PIPELINE_FINDING_NAMES, type PipelineCounts, type PipelineFinding, type PipelineFindingName, type PipelineKeyCounts, type PipelineVerdict } from './pipeline-verdict.js';

/** How each finding reads in a reason: `<count> <text>`. */
const FINDING_TEXT: Record<PipelineFindingName, string> = {
  lost: 'acknowledged inputs lost (in neither the output nor the DLQ)',
  duplicate: 'inputs more than once in the output and DLQ',
  unexpected: 'output or DLQ records naming no sent input',
  'poison-in-output': 'poison inputs in the output',
  'good-in-dlq': 'good inputs in the DLQ',
  'dlq-provenance': 'DLQ records whose provenance headers do not name their input',
  'wrong-key': 'output or DLQ records with a key other than their input\'s',
  'committed-not-output': 'inputs below the committed offsets not output',
  'uncommitted-output': 'inputs at or above the committed offsets output',
  'hanging-transaction': 'partitions with a hanging transaction (last stable offset below the end)',
  'aborted-output': 'records only the read_uncommitted reader saw (aborted output)',
  'key-count-repeated': 'keys with a count in more than one output record (state and output not exactly once)',
  'key-count-missing': 'keys with a count below their highest in no output record (state counted output that is not there)',
  'key-count-malformed': 'keys with output records without a positive count',
};

/** Findings that are violations only under exactly-once (listed, informational, under at-least-once). */
const EXACTLY_ONCE_ONLY = new Set<PipelineFindingName>(['duplicate', 'uncommitted-output', ...KEY_COUNT_FINDING_NAMES]);
/** Findings that may be unread output rather than a violation when the reads are not complete. */
const COMPLETE_READS_ONLY = new Set<PipelineFindingName>(['lost', 'committed-not-output', 'key-count-missing']);

/** The verdict from what the checker read. */
export function pipelineResult(r: PipelineReading): PipelineVerdict {
  const meta = r.meta;
  const applicable = meta !== null || r.metaProblem !== null || r.pipelineRecords > 0;
  const findings = r.findings.clone();
  const committed = meta === null ? null : committedOffsets(r, meta.inputTopic);
  const { counts: valueCounts, table } = tallyValues({ store: r.store, findings, inputTopic: meta?.inputTopic ?? '', committed: committed === null ? null : new Map(Object.entries(committed).map(([p, o]) => [Number(p), o])) });
  noteAborted(r, findings);
  const keyCounts = judgeKeyCounts(r.keyCounts, findings);
  const ends = meta === null ? { complete: false, why: 'no pipeline meta' } : completeness(r.outEnds, meta);
  noteHanging(r.outEnds, findings);
  const exactlyOnce = meta?.guarantee !== 'at-least-once';
  const severity = (name: PipelineFindingName): PipelineFinding['severity'] => (name === 'aborted-output' || (!exactlyOnce && EXACTLY_ONCE_ONLY.has(name)) ? 'informational' : 'violation');
  const found = findings.result(severity);
  const counts: PipelineCounts = { ...valueCounts, outputRecords: r.live[0].size, dlqRecords: r.live[1].size, rereads: r.rereads, uncommittedRecords: r.uncommitted[0].size + r.uncommitted[1].size, ignoredRecords: r.ignoredRecords, malformedInputs: r.malformedInputs };
  const { valid, reasons } = decide(r, found, ends);
  return {
    checker: 'pipeline',
    valid,
    evidence: applicable ? evidenceOf(meta, { v: valueCounts, c: counts, keyCounts }, ends.complete, committed) : 'no pipeline in the history (no pipeline meta, out or out-end records)',
    reasons,
    warnings: warningsOf(r, committed, meta),
    applicable,
    guarantee: meta?.guarantee ?? null,
    topics: meta === null ? null : { input: meta.inputTopic, output: meta.outputTopic, dlq: meta.dlqTopic },
    complete: ends.complete,
    committedOffsets: committed,
    counts,
    table,
    keyCounts,
    findings: found,
  };
}

/** The latest job-offsets event for the input topic. */
function committedOffsets(r: PipelineReading, inputTopic: string): Record<string, number> | null {
  let latest: { timeMs: number; offsets: Record<string, number> } | null = null;
  for (const { timeMs, detail } of r.jobOffsets) {
    if (detail.topic !== inputTopic) continue;
    if (latest === null || timeMs >= latest.timeMs) latest = { timeMs, offsets: detail.offsets };
  }
  return latest === null ? null : { ...latest.offsets };
}

function noteAborted(r: PipelineReading, findings: PipelineFindings): void {
  const total = r.uncommitted[0].countNotIn(r.live[0]) + r.uncommitted[1].countNotIn(r.live[1]);
  let listed = 0;
  for (const { location, value } of r.pendingAborted) {
    const live = location.topic === r.meta?.dlqTopic ? r.live[1] : r.live[0];
    if (live.has(location.partition, location.offset) || listed >= total) continue;
    listed++;
    findings.note('aborted-output', () => ({ value, input: null, record: location, detail: 'read uncommitted, not read committed' }));
  }
  findings.noteCount('aborted-output', total - listed);
}

/** Output and DLQ topics each with a live out-end that reached the end of every partition. */
function completeness(outEnds: readonly OutEndRecord[], meta: PipelineMeta): { complete: boolean; why: string } {
  const missing: string[] = [];
  for (const topic of [meta.outputTopic, meta.dlqTopic]) {
    const ends = outEnds.filter((e) => e.reader === OUT_READER_LIVE && e.topic === topic);
    if (ends.some((e) => e.partitions.length > 0 && e.partitions.every((p) => p.reachedEnd))) continue;
    missing.push(ends.length === 0 ? `${topic} has no live out-end record` : `the live read of ${topic} did not reach the end offsets`);
  }
  return { complete: missing.length === 0, why: missing.join('; ') };
}

function noteHanging(outEnds: readonly OutEndRecord[], findings: PipelineFindings): void {
  const seen = new Set<string>();
  for (const end of outEnds) {
    for (const p of end.partitions) {
      const key = `${end.topic}\u0000${p.partition}`;
      if (p.lastStableOffset === undefined || p.lastStableOffset >= p.endOffset || seen.has(key)) continue;
      seen.add(key);
      findings.note('hanging-transaction', () => ({ value: null, input: null, record: { topic: end.topic, partition: p.partition, offset: p.lastStableOffset ?? 0 }, detail: `${end.topic} partition ${p.partition}: last stable offset ${p.lastStableOffset} below the end offset ${p.endOffset} when the ${end.reader} read ended` }));
    }
  }
}

function decide(r: PipelineReading, found: Partial<Record<PipelineFindingName, PipelineFinding>>, ends: { complete: boolean; why: string }): { valid: Validity; reasons: string[] } {
  const reasons: string[] = [];
  for (const name of PIPELINE_FINDING_NAMES) {
    const f = found[name];
    if (f?.severity !== 'violation') continue;
    // Without complete reads, an input not seen may be unread rather than lost.
    if (!ends.complete && COMPLETE_READS_ONLY.has(name)) continue;
    reasons.push(`${f.count.toLocaleString('en-US')} ${FINDING_TEXT[name]}`);
  }
  if (reasons.length > 0) return { valid: false, reasons };
  if (r.metaProblem !== null) reasons.push(r.metaProblem);
  else if (r.meta === null) reasons.push('the meta record has no pipeline object: topics and guarantee unknown');
  if (r.outBeforeMeta > 0) reasons.push(`${countText(r.outBeforeMeta, 'out record')} came before the meta record and were not judged`);
  if (r.meta !== null && !ends.complete) {
    const notSeen = found.lost?.count ?? 0;
    reasons.push(notSeen > 0 ? `${ends.why}: ${countText(notSeen, 'acknowledged input')} not seen may be unread rather than lost` : `${ends.why}: inputs beyond where it stopped cannot be checked`);
  }
  return { valid: reasons.length === 0 ? true : 'unknown', reasons };
}

/** `per-key counts of 10 keys consistent` / `... of 2 of 10 keys inconsistent`. */
function keyCountsText(k: PipelineKeyCounts): string {
  if (k.keys === 0) return 'no per-key counts (no output records)';
  return k.inconsistentKeys === 0 ? `per-key counts of ${countText(k.keys, 'key')} consistent` : `per-key counts of ${k.inconsistentKeys.toLocaleString('en-US')} of ${countText(k.keys, 'key')} inconsistent`;
}

function evidenceOf(meta: PipelineMeta | null, n: { v: ValueCounts; c: PipelineCounts; keyCounts: PipelineKeyCounts }, complete: boolean, committed: Record<string, number> | null): string {
  const { v, c } = n;
  const inputs = `${countText(v.acknowledged, 'acknowledged input')} (${v.acknowledgedPoison.toLocaleString('en-US')} poison)`;
  const guarantee = meta === null ? 'guarantee unknown' : meta.guarantee;
  const read = `${complete ? 'output and DLQ read to the end offsets' : 'output and DLQ not shown read to the end offsets'}: ${countText(c.outputRecords, 'output record')}, ${countText(c.dlqRecords, 'DLQ record')}`;
  const offsets = committed === null ? 'no committed offsets recorded' : `committed offsets of ${countText(Object.keys(committed).length, 'partition')}`;
  return `${inputs} judged ${guarantee}; ${read}; ${offsets}; ${keyCountsText(n.keyCounts)}`;
}

function warningsOf(r: PipelineReading, committed: Record<string, number> | null, meta: PipelineMeta | null): string[] {
  const w: string[] = [];
  if (r.malformedInputs > 0) w.push(`${countText(r.malformedInputs, 'input send')} of process 'in' with a value other than <id> or !<id> ignored`);
  if (r.ignoredRecords > 0) w.push(`${countText(r.ignoredRecords, 'out record')} of other readers or topics ignored`);
  if (meta !== null && committed === null) w.push(`no job-offsets event for ${meta.inputTopic}: output against the committed offsets not checked`);
  return w;
}
