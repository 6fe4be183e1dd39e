import type { JournalRecord, ReadBackPartition } from '../history/operation.js';
import { countText, type Checker, type Validity } from './checker.js';
import { findCycles } from './queue-cycles.js';
import { DependencyGraph } from './queue-graph.js';
import { F_SUBSCRIBE, F_TXN, R_POLL, R_SEND, T_FAIL, T_OK, QueueHistory } from './queue-history.js';
import { DEFAULT_MAX_QUEUE_CASES, QueueFindings } from './queue-findings.js';
import { findHangingTransactions } from './queue-hanging.js';
import { findOffsetRegressions } from './queue-offset-regression.js';
import { OrderChecks } from './queue-order.js';
import { findTornTransactions } from './queue-torn.js';
import { findZombieWrites } from './queue-zombie.js';
import { cycleSeverity, policyInput, policyText, QUEUE_EXPLANATIONS, queueSeverities } from './queue-policy.js';
import { findAbortedReads, findLostAndUnseen, type DrainEnds } from './queue-reads.js';
import { buildVersionOrders, type VersionOrders } from './queue-version-order.js';
import { QUEUE_ANOMALY_NAMES, type QueueAnomalyReport, type QueueCounts, type QueueVerdict } from './queue-verdict.js';

export interface QueueCheckerOptions {
  /** At-least-once producers: duplicates are informational. Default: the meta line's `queue.allowDuplicates`, else false. */
  allowDuplicates?: boolean;
  /** Cases listed per anomaly (the counts are exact). Default 1,000. */
  maxQueueCases?: number;
}

/**
 * The queue checker (docs/checker.md, "The queue checker"): reads `queue` records (and the meta line and
 * the final drain's `read-back` record), keeps them in typed arrays, and at `result()` builds the version
 * orders, runs every anomaly search and the cycle search, and applies the policy. Records in journal order.
 */
export class QueueChecker implements Checker<QueueVerdict> {
  readonly name = 'queue' as const;
  private readonly h = new QueueHistory();
  private records = 0;
  private truncated = false;
  private cached: QueueVerdict | null = null;

  constructor(private readonly options: QueueCheckerOptions = {}) {}

  add(record: JournalRecord, lineNumber?: number): void {
    this.records++;
    if (record.kind === 'queue') {
      this.cached = null;
      this.h.add(record, lineNumber ?? this.records);
    } else if (record.kind === 'meta') this.h.noteMeta(record);
    else if (record.kind === 'read-back') {
      this.cached = null;
      this.h.readBacks.push(record);
    }
  }

  /** The journal's last line was cut (a crash mid-write): the verdict can be unknown at best. */
  noteTruncated(): void {
    this.truncated = true;
    this.cached = null;
  }

  /** Fast lane for op lines: counted, as add counts them, without making records (they are not this checker's). */
  addOpView(): void {
    this.records++;
  }

  /** Fast lane for out lines (a pipeline's): the same. */
  addOutView(): void {
    this.records++;
  }

  result(): QueueVerdict {
    if (this.cached !== null) return this.cached;
    const finished = this.h.finish();
    try {
      this.cached = this.compute();
    } finally {
      finished.undo();
    }
    return this.cached;
  }

  private compute(): QueueVerdict {
    const h = this.h;
    const findings = new QueueFindings(h, this.options.maxQueueCases ?? DEFAULT_MAX_QUEUE_CASES);
    const vo = buildVersionOrders(h, findings);
    const drain = drainEvidence(h, vo);
    findAbortedReads(h, findings);
    findTornTransactions(h, vo, drain, findZombieWrites(h, vo, findings), findings);
    findHangingTransactions(h, findings);
    const { beyondDrain } = findLostAndUnseen(h, vo, drain, findings);
    new OrderChecks(h, vo, findings).run();
    findOffsetRegressions(h, vo, findings);
    const graph = new DependencyGraph(h, vo);
    findCycles(graph, findings);
    const counts = this.counts(graph);
    const input = policyInput(h.meta, { txn: counts.txns > 0, subscribe: hasSubscribe(h) }, this.options.allowDuplicates);
    const severities = queueSeverities(input, drain.complete);
    const anomalies: Partial<Record<(typeof QUEUE_ANOMALY_NAMES)[number], QueueAnomalyReport>> = {};
    const failing: string[] = [];
    for (const name of QUEUE_ANOMALY_NAMES) {
      const count = findings.counts.get(name) ?? 0;
      if (count === 0) continue;
      const cases = findings.cases.get(name) ?? [];
      const severity = cycleSeverity(name, severities[name], cases);
      anomalies[name] = { count, severity, explanation: QUEUE_EXPLANATIONS[name], cases };
      if (severity === 'failure') failing.push(`${name}: ${countText(count, 'case')}`);
    }
    const unknownReasons = [
      ...(drain.complete ? [] : ['no final drain reached the end offsets of every partition written: unseen values cannot be told from lost ones']),
      ...(beyondDrain > 0 ? [`${countText(beyondDrain, 'acknowledged value')} at or beyond the drain's end offsets (acknowledged after the drain began)`] : []),
      ...(this.truncated ? ['the journal is truncated (a crash mid-write): the history may be incomplete'] : []),
    ];
    const applicable = h.opCount > 0;
    const valid: Validity = !applicable ? 'unknown' : failing.length > 0 ? false : unknownReasons.length > 0 ? 'unknown' : true;
    return {
      checker: 'queue',
      valid,
      applicable,
      evidence: applicable ? evidenceText(counts, drain, graph) : 'no queue ops in the history: nothing to check',
      reasons: !applicable ? ['no queue ops in the history'] : valid === false ? failing : valid === 'unknown' ? unknownReasons : [],
      counts,
      anomalies,
      policy: { input, text: policyText(input, severities), severities },
      drainComplete: drain.complete,
      truncated: this.truncated,
      warnings: this.truncated ? ['the journal is truncated: checked up to its last complete line'] : [],
    };
  }

  private counts(graph: DependencyGraph): QueueCounts {
    const h = this.h;
    const c: QueueCounts = { ops: h.opCount, txns: 0, committed: 0, aborted: 0, unknown: 0, sent: 0, acknowledged: 0, polled: 0, partitions: h.partitionNames.length, processes: h.processNames.length, graphNodes: graph.nodeCount, graphEdges: graph.edgeCount };
    for (let op = 0; op < h.opCount; op++) {
      const type = h.opType[op];
      if (h.opF[op] === F_TXN) {
        c.txns++;
        if (type === T_OK) c.committed++;
        else if (type === T_FAIL) c.aborted++;
        else c.unknown++;
      }
      for (let r = h.opRowStart[op] as number; r < (h.opRowStart[op + 1] as number); r++) {
        if (h.rowKind[r] === R_SEND) {
          c.sent++;
          if (type === T_OK) c.acknowledged++;
        } else if (h.rowKind[r] === R_POLL) c.polled++;
      }
    }
    return c;
  }
}

function hasSubscribe(h: QueueHistory): boolean {
  for (let op = 0; op < h.opCount; op++) if (h.opF[op] === F_SUBSCRIBE) return true;
  return false;
}

/**
 * The final drain's evidence: the last `read-back` record, complete when every partition in it reached its
 * end and every partition with an acknowledged offset is in it.
 */
function drainEvidence(h: QueueHistory, vo: VersionOrders): DrainEnds {
  const last = h.readBacks[h.readBacks.length - 1];
  const endByPid = new Map<number, number>();
  const byPid = new Map<number, ReadBackPartition>();
  if (last === undefined) return { complete: false, endByPid, byPid, startMs: -Infinity };
  let complete = last.partitions.length > 0;
  for (const p of last.partitions) {
    if (!p.reachedEnd) complete = false;
    const pid = h.plainPartitionId(p.partition);
    if (pid < 0) continue;
    endByPid.set(pid, p.endOffset);
    byPid.set(pid, p);
  }
  for (let pid = 0; pid < vo.offsets.length; pid++) if ((vo.offsets[pid] as Float64Array).length > 0 && !endByPid.has(pid)) complete = false;
  return { complete, endByPid, byPid, startMs: firstInvokeMs(h, last.process) };
}

/** The first invoke time of a process's ops, -Infinity when it has none. */
function firstInvokeMs(h: QueueHistory, process: string): number {
  const proc = h.processNames.indexOf(process);
  let first = Infinity;
  for (let op = 0; op < h.opCount && proc >= 0; op++) if (h.opProcess[op] === proc) first = Math.min(first, h.opInvokeMs[op] as number);
  return first === Infinity ? -Infinity : first;
}

function evidenceText(c: QueueCounts, drain: DrainEnds, graph: DependencyGraph): string {
  const ops = c.txns > 0 ? `${countText(c.ops, 'queue op')} (${countText(c.txns, 'transaction')}: ${c.committed.toLocaleString('en-US')} committed, ${c.aborted.toLocaleString('en-US')} aborted, ${c.unknown.toLocaleString('en-US')} unknown)` : countText(c.ops, 'queue op');
  const drained = drain.complete ? `drained to the end offsets of ${countText(drain.endByPid.size, 'partition')}` : 'not drained to the end offsets';
  return `${ops}; ${countText(c.acknowledged, 'acknowledged send')}, ${countText(c.polled, 'record')} polled over ${countText(c.partitions, 'partition')}; ${drained}; dependency graph of ${countText(graph.nodeCount, 'node')} and ${countText(graph.edgeCount, 'edge')} searched for cycles`;
}
