import { validityWord, type CheckerResult } from '../checker/checker.js';
import type { AnomalyName, ExactVerdict } from '../checker/verdict.js';
import { escapeMarkup } from './escape.js';
import { seconds } from './report-format.js';
import type { RunReport } from './run-report.js';

/** One JUnit testcase: passes unless it has a failure (or is skipped). */
export interface JunitCase {
  classname: string;
  name: string;
  timeS?: number;
  failure?: { message: string; detail?: string };
  skipped?: string;
  /** Shown by CI reporters as the case's output. */
  output?: string;
}

export interface JunitSuite {
  name: string;
  timeS?: number;
  cases: readonly JunitCase[];
}

const x = escapeMarkup;
const attrTime = (s: number | undefined): string => (s === undefined ? '' : ` time="${(Math.max(0, s)).toFixed(3)}"`);

function caseXml(c: JunitCase): string {
  const inner = [
    c.failure ? `<failure message="${x(c.failure.message)}" type="failure">${x(c.failure.detail ?? c.failure.message)}</failure>` : '',
    c.skipped !== undefined ? `<skipped message="${x(c.skipped)}"/>` : '',
    c.output !== undefined ? `<system-out>${x(c.output)}</system-out>` : '',
  ].join('');
  const open = `    <testcase classname="${x(c.classname)}" name="${x(c.name)}"${attrTime(c.timeS)}`;
  return inner === '' ? `${open}/>` : `${open}>${inner}</testcase>`;
}

/** A JUnit XML document (the common Jenkins/Surefire shape that CI test reporters read). */
export function junitXml(suites: readonly JunitSuite[]): string {
  const count = (s: JunitSuite, f: (c: JunitCase) => boolean): number => s.cases.filter(f).length;
  const body = suites.map((s) => [
    `  <testsuite name="${x(s.name)}" tests="${s.cases.length}" failures="${count(s, (c) => c.failure !== undefined)}" errors="0" skipped="${count(s, (c) => c.skipped !== undefined)}"${attrTime(s.timeS)}>`,
    ...s.cases.map(caseXml),
    '  </testsuite>',
  ].join('\n'));
  const total = (f: (c: JunitCase) => boolean): number => suites.reduce((n, s) => n + count(s, f), 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="faultline" tests="${total(() => true)}" failures="${total((c) => c.failure !== undefined)}" errors="0">\n${body.join('\n')}\n</testsuites>\n`;
}

/** The invariants of the exact checker, one testcase each. */
const INVARIANTS: readonly AnomalyName[] = ['lost', 'duplicate', 'unexpected', 'reordered'];

function exactCases(classname: string, v: ExactVerdict): JunitCase[] {
  return INVARIANTS.map((name) => {
    const list = v.anomalies[name];
    const listed = list.slice(0, 20).map((a) => a.value).join(', ');
    if (list.length > 0) return { classname, name, failure: { message: `${list.length} ${name} value(s)`, detail: `${listed}${list.length > 20 ? ', ...' : ''}\n${v.evidence}` } };
    // Lost values cannot be ruled out without a complete read-back: that is the verdict 'unknown'.
    if (name === 'lost' && v.valid === 'unknown') return { classname, name, failure: { message: `cannot tell: ${v.reasons.join('; ')}`, detail: v.evidence } };
    return { classname, name, output: v.evidence };
  });
}

function otherCase(classname: string, r: CheckerResult): JunitCase {
  const text = `${validityWord(r.valid)}: ${r.evidence}${r.reasons.length > 0 ? `\n${r.reasons.join('\n')}` : ''}`;
  // Availability measures and promises nothing: never a failure.
  if (r.checker === 'availability') return { classname, name: r.checker, output: text };
  return r.valid === true ? { classname, name: r.checker, output: text } : { classname, name: r.checker, failure: { message: `${validityWord(r.valid)}: ${r.reasons[0] ?? r.evidence}`, detail: text } };
}

/** One testcase per checker invariant (exact: lost, duplicate, unexpected, reordered; others that apply: one each) and per probe result. */
function runJunitCases(report: RunReport): JunitCase[] {
  const base = `faultline.${report.meta?.run ?? 'run'}`;
  const cases: JunitCase[] = [];
  for (const r of Object.values(report.check.checkers)) {
    // A checker that does not apply to this run (the queue checker on a produce run) is no test of it.
    if (r.applicable === false) continue;
    if (r.checker === 'exact') cases.push(...exactCases(`${base}.exact`, r));
    else cases.push(otherCase(`${base}.checker`, r));
  }
  for (const p of report.timeline.probes) {
    const name = `${p.phase} ${p.name} at ${seconds(p.timeMs)}`;
    const detail = `${p.probe}: ${p.detail ?? (p.ok ? 'ok' : 'failed')}`;
    cases.push(p.ok ? { classname: `${base}.probe`, name, output: detail } : { classname: `${base}.probe`, name, failure: { message: detail } });
  }
  return cases;
}

/** junit.xml of one run directory. */
export function renderJunitReport(report: RunReport): string {
  return junitXml([{ name: report.title, timeS: report.timeline.durationMs / 1000, cases: runJunitCases(report) }]);
}
