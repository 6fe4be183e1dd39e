import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { junitXml } from '../../../src/report/junit.js';
import { loadRunReport } from '../../../src/report/run-report.js';
import { renderHtmlReport } from '../../../src/report/html.js';
import { renderJunitReport } from '../../../src/report/junit.js';
import { renderMarkdownReport } from '../../../src/report/markdown.js';
import { writeRunReports } from '../../../src/report/write-reports.js';
import { escapeMarkup, jsonForScript } from '../../../src/report/escape.js';
import { xmlProblem } from './xml-well-formed.js';
import { writeSampleRun } from './sample-run.js';

const HOSTILE = '</script><script>alert(1)</script>&x="\'|';

async function withRun<T>(options: Parameters<typeof writeSampleRun>[1], body: (runDir: string) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), 'faultline-reports-'));
  try {
    return await body(await writeSampleRun(root, options));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('the well-formedness check rejects broken XML (so the junit test can fail)', () => {
  assert.equal(xmlProblem('<a><b></a>').problem, '</a> closes nothing open');
  assert.match(xmlProblem('<a>x < y</a>').problem ?? '', /raw markup/);
  assert.match(xmlProblem('<a>x & y</a>').problem ?? '', /bad entity/);
  assert.equal(xmlProblem('<a/><b/>').problem, 'more than one root element');
  assert.equal(xmlProblem('<a x="1">t &amp; <b/></a>').problem, null);
});

test('junit.xml: well formed, one testcase per exact invariant, per checker and per probe; failures for lost values and a failed probe', async () => {
  await withRun({ lose: 3, hostileValue: HOSTILE }, async (runDir) => {
    const xml = renderJunitReport(await loadRunReport(runDir));
    const { problem, elements } = xmlProblem(xml);
    assert.equal(problem, null, xml);
    assert.equal(elements.get('testsuite'), 1);
    // lost, duplicate, unexpected, reordered + availability + 3 probes (the consumer and queue checkers do not apply)
    assert.equal(elements.get('testcase'), 8);
    assert.ok(!xml.includes('name="queue"') && !xml.includes('name="consumer"'), 'checkers that do not apply are no testcases');
    assert.match(xml, /<testcase classname="faultline\.sample\.exact" name="lost"><failure message="3 lost value\(s\)"/);
    assert.match(xml, /name="unexpected"><failure message="1 unexpected value\(s\)"/);
    assert.match(xml, /name="during round trip at 12\.5 s"><failure message="round-trip: no record within 2000 ms"/);
    assert.match(xml, /name="duplicate"><system-out>/);
    assert.match(xml, /<testsuites name="faultline" tests="8" failures="3"/);
    assert.ok(xml.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=&quot;&#39;|'));
  });
});

test('junitXml escapes names and drops characters XML cannot hold', () => {
  const xml = junitXml([{ name: 'a<b', cases: [{ classname: 'c"d', name: 'e\u0001f', failure: { message: '&' } }] }]);
  assert.equal(xmlProblem(xml).problem, null, xml);
  assert.ok(xml.includes('name="e\ufffdf"'));
});

test('report.md: verdict, counts, the fault with its times and recovery, lost values with partition and offset, probes', async () => {
  await withRun({ lose: 3 }, async (runDir) => {
    const md = renderMarkdownReport(await loadRunReport(runDir));
    assert.match(md, /^# Leader kill under load \(hand-made history\): INVALID\n/);
    assert.match(md, /\| f1 kill leader:t1 \| 10\.0 s \| 15\.0 s \| 2\.0 s after it started \|/);
    assert.match(md, /\| 600 \| 560 \| 0 \| 40 \| 557 \|/);
    assert.match(md, /- \*\*lost\*\*: 3 \(acknowledged, never read back\)/);
    // The last 3 acknowledged values: seq 597..599, alternating partitions, offsets 278/279.
    assert.match(md, /\| p0-000599 \| 1 \| 279 \| acknowledged here \|/);
    assert.match(md, /\| 12\.5 s \| during \| round trip \| round-trip \| FAILED \| no record within 2000 ms \|/);
    assert.match(md, /Leader changes: 1; ISR changes: 2\./);
  });
});

test('report.md caps listed values with a count of the rest', async () => {
  await withRun({ lose: 120 }, async (runDir) => {
    const md = renderMarkdownReport(await loadRunReport(runDir));
    assert.match(md, /- \*\*lost\*\*: 120 /);
    assert.match(md, /\.\.\. and 70 more/);
    assert.equal(md.match(/acknowledged here/g)?.length, 50);
  });
});

test('report.html: every string is escaped (a <script> value stays text), the timeline data cannot close its script, uPlot is inlined', async () => {
  await withRun({ hostileValue: HOSTILE }, async (runDir) => {
    const html = renderHtmlReport(await loadRunReport(runDir, { steps: [{ name: '<b>step</b>', status: 'ok', startMs: 0, endMs: 1500, detail: HOSTILE }] }));
    assert.ok(!html.includes('<script>alert(1)'), 'hostile value reached the page as markup');
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('<td>&lt;b&gt;step&lt;/b&gt;</td><td>ok</td><td>0.0 s</td><td>1.5 s</td>'));
    // Only our three script elements (data, uPlot, chart) open a script.
    assert.equal(html.match(/<script[\s>]/g)?.length, 3);
    assert.ok(html.includes('var uPlot='), 'uPlot inlined');
    assert.ok(!/\bhttps?:\/\/(?!github\.com\/leeoniya)/.test(html.replace(/<script>[\s\S]*?<\/script>/g, '')), 'no external URL outside scripts');
    assert.match(html, /<tr class="fault-period" data-fault-id="f1"><td>f1 kill leader:t1<\/td>/);
  });
});

test('escapeMarkup and jsonForScript', () => {
  assert.equal(escapeMarkup(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  assert.equal(escapeMarkup('a\u0000b\ud800c'), 'a\ufffdb\ufffdc');
  assert.equal(jsonForScript({ v: '</script>' }), '{"v":"\\u003c/script>"}');
  assert.deepEqual(JSON.parse(jsonForScript({ v: '</script>\u2028' })), { v: '</script>\u2028' });
});

test('writeRunReports writes the chosen formats into outDir; a directory without a history is bad input', async () => {
  await withRun({}, async (runDir) => {
    const out = join(runDir, 'out');
    const written = await writeRunReports(runDir, { formats: ['md', 'junit'], outDir: out });
    assert.deepEqual(written.files.map((f) => f.path), [join(out, 'report.md'), join(out, 'junit.xml')]);
    // The sample run's meta names no consumer group: the consumer checker does not apply.
    assert.equal(written.valid, true);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /: VALID\n/);
    await assert.rejects(writeRunReports(out), { name: 'UsageError', message: /not a faultline run directory: no history\.jsonl/ });
  });
});
