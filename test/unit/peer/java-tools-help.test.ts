import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultlineCache } from '../../../src/util/paths.js';
import { runJavaTool } from '../../../src/peer/run-java-tool.js';
import { writeProducerConfig, writeToolLogConfig, type JavaToolCommand } from '../../../src/peer/java-tool.js';
import { VERIFIABLE_PRODUCER_CLASS, VerifiableProducerConverter, verifiableProducerCommand } from '../../../src/peer/verifiable-producer.js';
import { PRODUCER_PERFORMANCE_CLASS, producerPerformanceCommand } from '../../../src/peer/producer-performance.js';

// Runs the real tools from the cached jars, never against a broker: --help, and a zero-message run
// whose bootstrap address is a closed local port (the producer has nothing to send, so it does not connect).

const VERSIONS = [
  { version: '4.3.1', major: 4, perfUsage: 'usage: kafka-producer-perf-test' },
  { version: '3.9.2', major: 3, perfUsage: 'usage: producer-performance' },
];

function libDirOf(version: string): string | undefined {
  const libDir = join(faultlineCache(), 'kafka', version, 'libs');
  if (!existsSync(libDir)) return undefined;
  return readdirSync(libDir).some((f) => f.startsWith('kafka-tools-')) ? libDir : undefined;
}

/** The builder's command cut after the main class, plus --help; and the tool options it used. */
function helpOf(cmd: JavaToolCommand, mainClass: string): { help: JavaToolCommand; options: string[] } {
  const at = cmd.args.indexOf(mainClass);
  assert.ok(at > 0);
  return { help: { command: cmd.command, args: [...cmd.args.slice(0, at + 1), '--help'] }, options: cmd.args.slice(at + 1).filter((a) => a.startsWith('--')) };
}

async function stdoutOf(cmd: JavaToolCommand): Promise<{ text: string; exitCode: number | null; stderrTail: string }> {
  const lines: string[] = [];
  const r = await runJavaTool(cmd, { timeoutMs: 60_000, onStdoutLine: (l) => lines.push(l) });
  return { text: lines.join('\n'), exitCode: r.exitCode, stderrTail: r.stderrTail };
}

for (const { version, major, perfUsage } of VERSIONS) {
  const libDir = libDirOf(version);
  const skip = libDir === undefined ? `Kafka ${version} jars not cached in ${join(faultlineCache(), 'kafka', version, 'libs')} (run 'faultline cluster' once to fetch them)` : false;
  const dist = { libDir: libDir ?? '', major };

  test(`${version}: VerifiableProducer --help accepts every option the builder emits`, { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-peer-'));
    try {
      const cmd = verifiableProducerCommand({
        dist, bootstrapServers: '127.0.0.1:1', topic: 't', maxMessages: 10, throughputPerSec: 5, acks: 'all', valuePrefix: 1, repeatingKeys: 3,
        producerConfigFile: writeProducerConfig(join(dir, 'p.properties'), { retries: 0 }), logConfigFile: writeToolLogConfig(dir, major),
      });
      const { help, options } = helpOf(cmd, VERIFIABLE_PRODUCER_CLASS);
      const out = await stdoutOf(help);
      assert.match(out.text, /usage: verifiable-producer/, out.stderrTail);
      for (const option of options) assert.ok(out.text.includes(option), `${version} VerifiableProducer has no ${option}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${version}: ProducerPerformance --help accepts every option the builder emits`, { skip }, async () => {
    const cmd = producerPerformanceCommand({ dist, bootstrapServers: '127.0.0.1:1', topic: 't', numRecords: 10, producerProps: { 'linger.ms': 1 }, ...(major >= 4 ? { warmupRecords: 1 } : {}) });
    const { help, options } = helpOf(cmd, PRODUCER_PERFORMANCE_CLASS);
    const out = await stdoutOf(help);
    assert.ok(out.text.includes(perfUsage), out.text.slice(0, 200) + out.stderrTail);
    for (const option of options) assert.ok(out.text.includes(option), `${version} ProducerPerformance has no ${option}`);
  });

  test(`${version}: with our log config, a zero-message VerifiableProducer writes only JSON to stdout`, { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-peer-'));
    try {
      const cmd = verifiableProducerCommand({
        dist, bootstrapServers: '127.0.0.1:1', topic: 't', maxMessages: 0, acks: 'all', valuePrefix: 9,
        producerConfigFile: writeProducerConfig(join(dir, 'p.properties'), { 'max.block.ms': 1000 }), logConfigFile: writeToolLogConfig(dir, major),
      });
      const out = await stdoutOf(cmd);
      assert.equal(out.exitCode, 0, out.stderrTail);
      const converter = new VerifiableProducerConverter({ runStartEpochMs: Date.now() - 60_000, valuePrefix: 9, maxMessages: 0 });
      for (const line of out.text.split('\n')) assert.deepEqual(converter.line(line), []);
      const s = converter.summary();
      assert.deepEqual(s.firstIgnoredLines, [], 'stdout carried non-JSON lines');
      assert.notEqual(s.startupTimeMs, null);
      assert.notEqual(s.shutdownTimeMs, null);
      assert.deepEqual(s.toolData && { sent: s.toolData.sent, acked: s.toolData.acked }, { sent: 0, acked: 0 });
      assert.deepEqual(converter.finish(), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
