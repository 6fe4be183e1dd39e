import { readdirSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { rdkafka, settle, type RdKafkaTypes } from '../../src/kafka/rdkafka.js';
import { listFaultlineLinks, listFaultlineNamespaces } from '../../src/net/namespace.js';
import { withAdmin } from '../../src/kafka/admin.js';
import assert from 'node:assert/strict';

/** Pids of every JVM started by faultline (their command line carries -Dfaultline.node=). */
export function faultlineJvmPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('-Dfaultline.node=')) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Everything a cluster leaves on the machine: JVMs, namespaces, links. Empty means clean. */
export async function residue(): Promise<string[]> {
  return [
    ...faultlineJvmPids().map((pid) => `jvm ${pid}`),
    ...(await listFaultlineNamespaces()).map((n) => `netns ${n}`),
    ...(await listFaultlineLinks()).map((l) => `link ${l}`),
  ];
}

/** Produces `count` records and resolves with how many the brokers acknowledged (delivery reports without error). */
export async function produceAcknowledged(bootstrap: string, topic: string, count: number, acks: 'all' | '1' | '0'): Promise<number> {
  const { Producer } = rdkafka();
  const producer = new Producer({
    'bootstrap.servers': bootstrap,
    acks: acks === 'all' ? -1 : Number(acks),
    dr_cb: true,
    'linger.ms': 5,
    log_level: 0,
  });
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 10_000 }, settle(() => resolve(), reject)));
  let acknowledged = 0;
  let reported = 0;
  const done = new Promise<void>((resolve) => {
    producer.on('delivery-report', (err: RdKafkaTypes.LibrdKafkaError | null) => {
      reported++;
      if (!err) acknowledged++;
      if (reported === count) resolve();
    });
  });
  producer.setPollInterval(10);
  for (let i = 0; i < count; i++) producer.produce(topic, null, Buffer.from(`v-${i}`));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 30_000));
  await Promise.race([done, timeout]);
  await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  return acknowledged;
}

/** Runs the built CLI and returns its exit code and output. */
export function runCli(args: readonly string[], timeoutMs = 120_000): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** True when a TCP connection from inside `namespace` (or the host when undefined) to host:port opens within 1 s. */
export function canConnect(namespace: string | undefined, host: string, port: number): boolean {
  const probe = ['timeout', '1', 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`];
  const args = namespace ? ['ip', 'netns', 'exec', namespace, ...probe] : probe;
  return spawnSync(args[0] as string, args.slice(1), { timeout: 5000 }).status === 0;
}

/** Every faultline-tagged iptables rule, T-state node and degrade proxy on the machine. */
export async function faultResidue(): Promise<string[]> {
  const { countFaultlineRules } = await import('../../src/net/iptables.js');
  const { findProcessesByMarker, processState } = await import('../../src/util/process.js');
  const rules = await countFaultlineRules();
  const paused = faultlineJvmPids().filter((pid) => processState(pid) === 'T');
  const proxies = findProcessesByMarker('tcp-proxy-main.js');
  return [...(rules > 0 ? [`${rules} iptables rules`] : []), ...paused.map((p) => `paused jvm ${p}`), ...proxies.map((p) => `proxy ${p}`)];
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs the built CLI as a second process without blocking this one's event loop (a workload may be running here). */
export function runCliAsync(args: readonly string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/src/cli/main.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const READ_TIMEOUT_MS = 60_000;

/** Every record value of a topic, read_committed, by a consumer of this test (not faultline's reader). */
export async function readTopicValues(bootstrap: string, topic: string): Promise<string[]> {
  const ends = await withAdmin(bootstrap, (admin) => admin.offsets(topic), 15_000);
  const { KafkaConsumer } = rdkafka();
  const consumer = new KafkaConsumer({ 'bootstrap.servers': bootstrap, 'group.id': `pipeline-test-${Date.now()}`, 'enable.auto.commit': false, 'isolation.level': 'read_committed', log_level: 0 }, { 'auto.offset.reset': 'earliest' });
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10_000 }, settle(() => resolve(), reject)));
  const values: string[] = [];
  try {
    consumer.assign(ends.map((p) => ({ topic, partition: p.partition, offset: 0 })));
    const position = new Map(ends.map((p) => [p.partition, 0]));
    const deadline = Date.now() + READ_TIMEOUT_MS;
    const behind = (): boolean => ends.some((p) => (position.get(p.partition) ?? 0) < p.highWatermark);
    while (behind() && Date.now() < deadline) {
      const batch = await new Promise<RdKafkaTypes.Message[]>((resolve, reject) => consumer.consume(500, settle(resolve, reject)));
      for (const m of batch) values.push(m.value?.toString('utf8') ?? '');
      for (const p of consumer.position()) if (p.offset >= 0) position.set(p.partition, p.offset);
    }
    assert.equal(behind(), false, `read ${topic} to its end within ${READ_TIMEOUT_MS} ms`);
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return values;
}

/** How many times each id occurs in output values `<id>:<count>`. */
export function idCounts(values: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) {
    const id = Number(v.split(':')[0]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
