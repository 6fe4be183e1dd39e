import type { PipelineFindings } from './pipeline-findings.js';
import { MAX_COUNT, PIPELINE_PAGE_SIZE, SEND_FAIL, SEND_NONE, SEND_OK, type PipelineStore, type Provenance, type ValuePage } from './pipeline-store.js';
import type { PipelineCase, PipelineCounts, PipelineCountRow } from './pipeline-verdict.js';

/** What the per-value pass needs besides the store. */
export interface TallyContext {
  readonly store: PipelineStore;
  readonly findings: PipelineFindings;
  readonly inputTopic: string;
  /** Committed input offsets by partition; null without a job-offsets event. */
  readonly committed: ReadonlyMap<number, number> | null;
}

export type ValueCounts = Pick<PipelineCounts, 'inputs' | 'acknowledged' | 'acknowledgedPoison' | 'unknown' | 'failed'>;

/** One pass over every id: the count table, the value counts, and the per-value findings. */
export function tallyValues(ctx: TallyContext): { counts: ValueCounts; table: PipelineCountRow[] } {
  const counts: ValueCounts = { inputs: 0, acknowledged: 0, acknowledgedPoison: 0, unknown: 0, failed: 0 };
  const histogram = new Float64Array(MAX_COUNT + 1);
  for (const [firstId, page] of ctx.store.sortedPages()) {
    for (let slot = 0; slot < PIPELINE_PAGE_SIZE; slot++) {
      const send = page.send[slot] as number;
      const total = (page.out[slot] as number) + (page.dlq[slot] as number);
      if (send === SEND_NONE && total === 0) continue;
      const id = firstId + slot;
      if (send === SEND_NONE) {
        neverSent(ctx, page, slot, id);
        continue;
      }
      counts.inputs++;
      if (send === SEND_OK) {
        counts.acknowledged++;
        if (page.poison[slot] === 1) counts.acknowledgedPoison++;
        const bucket = Math.min(total, MAX_COUNT);
        histogram[bucket] = (histogram[bucket] as number) + 1;
      } else if (send === SEND_FAIL) counts.failed++;
      else counts.unknown++;
      checkValue(ctx, page, slot, id, total);
    }
  }
  const table: PipelineCountRow[] = [];
  histogram.forEach((values, count) => {
    if (values > 0) table.push({ count, values });
  });
  return { counts, table };
}

const inputValue = (page: ValuePage, slot: number, id: number): string => `${page.poison[slot] === 1 ? '!' : ''}${id}`;

function caseOf(page: ValuePage, slot: number, id: number, detail: string): PipelineCase {
  const partition = page.inPartition(slot);
  const offset = page.inOffset(slot);
  return { value: inputValue(page, slot, id), input: partition >= 0 && offset >= 0 ? { partition, offset } : null, record: null, detail };
}

function neverSent(ctx: TallyContext, page: ValuePage, slot: number, id: number): void {
  const out = page.out[slot] as number;
  const dlq = page.dlq[slot] as number;
  ctx.findings.note('unexpected', () => ({ value: String(id), input: null, record: null, detail: `id ${id}: ${placesText(out, dlq)}, never sent` }), out + dlq);
}

function placesText(out: number, dlq: number): string {
  const times = (n: number): string => (n >= MAX_COUNT ? `${MAX_COUNT}+ times` : n === 1 ? 'once' : `${n} times`);
  return [out > 0 ? `in the output ${times(out)}` : '', dlq > 0 ? `in the DLQ ${times(dlq)}` : ''].filter(Boolean).join(' and ');
}

function checkValue(ctx: TallyContext, page: ValuePage, slot: number, id: number, total: number): void {
  const f = ctx.findings;
  const out = page.out[slot] as number;
  const dlq = page.dlq[slot] as number;
  const acked = page.send[slot] === SEND_OK;
  const poison = page.poison[slot] === 1;
  if (acked && total === 0) f.note('lost', () => caseOf(page, slot, id, 'acknowledged, in neither the output nor the DLQ'));
  if (total > 1) f.note('duplicate', () => caseOf(page, slot, id, placesText(out, dlq)));
  if (poison && out > 0) f.note('poison-in-output', () => caseOf(page, slot, id, `a poison input ${placesText(out, 0)}`));
  if (!poison && dlq > 0) f.note('good-in-dlq', () => caseOf(page, slot, id, `a good input ${placesText(0, dlq)}`));
  if (acked && poison && dlq > 0) checkProvenance(ctx, page, slot, id);
  if (ctx.committed !== null && acked) checkCommitted(ctx, page, slot, id, total);
}

function checkProvenance(ctx: TallyContext, page: ValuePage, slot: number, id: number): void {
  const prov = ctx.store.provenance.get(id);
  const partition = page.inPartition(slot);
  const offset = page.inOffset(slot);
  const why = provenanceProblem(prov, ctx.inputTopic, partition, offset);
  if (why !== null) ctx.findings.note('dlq-provenance', () => caseOf(page, slot, id, why));
}

function provenanceProblem(prov: Provenance | undefined, topic: string, partition: number, offset: number): string | null {
  if (prov === undefined) return 'its DLQ record has no provenance headers';
  const wrong: string[] = [];
  if (prov.topic !== topic) wrong.push(`topic ${JSON.stringify(prov.topic)} (input ${JSON.stringify(topic)})`);
  // An ok without a location (it should not happen: inputs are sent with acks=all) cannot be compared.
  if (partition >= 0 && prov.partition !== partition) wrong.push(`partition ${String(prov.partition)} (input ${partition})`);
  if (offset >= 0 && prov.offset !== offset) wrong.push(`offset ${String(prov.offset)} (input ${offset})`);
  return wrong.length === 0 ? null : `its DLQ record's headers say ${wrong.join(', ')}`;
}

function checkCommitted(ctx: TallyContext, page: ValuePage, slot: number, id: number, total: number): void {
  const partition = page.inPartition(slot);
  const offset = page.inOffset(slot);
  if (partition < 0 || offset < 0 || ctx.committed === null) return;
  const committed = ctx.committed.get(partition) ?? 0;
  if (offset < committed && total === 0) {
    ctx.findings.note('committed-not-output', () => caseOf(page, slot, id, `below the committed offset ${committed} of partition ${partition}, not output`));
  } else if (offset >= committed && total > 0) {
    ctx.findings.note('uncommitted-output', () => caseOf(page, slot, id, `at or above the committed offset ${committed} of partition ${partition}, yet output`));
  }
}
