import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runJavaTool } from '../../../src/peer/run-java-tool.js';
import { FaultlineError } from '../../../src/errors.js';

// runJavaTool spawns any command; node stands in for the JVM so no Java is needed here.
const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });

test('streams stdout lines across chunk boundaries, keeps a stderr tail, reports the exit code', async () => {
  const lines: string[] = [];
  const r = await runJavaTool(
    node(`process.stdout.write('{"a":1}\\n{"b"'); setTimeout(() => { process.stdout.write(':2}\\r\\nlast'); for (let i = 0; i < 60; i++) console.error('e' + i); process.exitCode = 3; }, 30);`),
    { timeoutMs: 10_000, onStdoutLine: (l) => lines.push(l), stderrTailLines: 5 },
  );
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', 'last']);
  assert.equal(r.exitCode, 3);
  assert.equal(r.timedOut, false);
  assert.equal(r.stdoutLines, 3);
  assert.equal(r.stderrTail, ['e55', 'e56', 'e57', 'e58', 'e59'].join('\n'));
});

test('timeout: SIGTERM first (a shutdown hook can still print), SIGKILL when ignored', async () => {
  const lines: string[] = [];
  const graceful = await runJavaTool(
    node(`process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000);`),
    // The timeout leaves a loaded machine time to start node and install the handler before SIGTERM comes.
    { timeoutMs: 2000, onStdoutLine: (l) => lines.push(l) },
  );
  assert.equal(graceful.timedOut, true);
  assert.equal(graceful.killed, false);
  assert.deepEqual(lines, ['up', 'bye']);
  const stubborn = await runJavaTool(node(`process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`), { timeoutMs: 2000, killGraceMs: 200 });
  assert.equal(stubborn.timedOut, true);
  assert.equal(stubborn.killed, true);
  assert.equal(stubborn.signal, 'SIGKILL');
  assert.ok(stubborn.durationMs < 8000);
});

test('abort signal stops the tool early; a throwing line callback rejects after the tool ends', async () => {
  const controller = new AbortController();
  const started = runJavaTool(node(`setInterval(() => console.log('tick'), 20);`), { timeoutMs: 10_000, signal: controller.signal, onStdoutLine: () => controller.abort() });
  const r = await started;
  assert.equal(r.timedOut, false);
  assert.equal(r.signal, 'SIGTERM');
  await assert.rejects(runJavaTool(node(`console.log('x'); setInterval(() => {}, 1000);`), { timeoutMs: 10_000, onStdoutLine: () => { throw new Error('bad line'); } }), /bad line/);
});

test('a missing executable is a FaultlineError', async () => {
  await assert.rejects(runJavaTool({ command: '/nonexistent/java', args: [] }, { timeoutMs: 1000 }), FaultlineError);
});
