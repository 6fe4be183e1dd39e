/**
 * Discovery against a real sshd on 127.0.0.1 (the "host" is this machine). The JVMs are stand-ins: `sh -c 'sleep
 * 600; :'` started with argv[0] `java`, so /proc/PID/cmdline reads `java -c sleep 600; : ARGS...` with ARGS a Kafka
 * or ZooKeeper command line (`:` keeps sh from exec'ing sleep, which would replace the command line). Other Kafka
 * JVMs on this machine (the lead's clusters) may be found too: the tests look only at their own pids.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '../../../src/errors.js';
import { SshHost } from '../../../src/ssh/ssh-host.js';
import { discoverKafkaProcesses } from '../../../src/ssh/kafka-discovery.js';
import { DISCOVERY_SCRIPT } from '../../../src/ssh/discovery-script.js';
import { processesFromOutput } from '../../../src/ssh/discovered-process.js';
import type { DiscoveredKafka, DiscoveredProcess, DiscoveredZooKeeper } from '../../../src/ssh/discovered-process.js';
import { startLocalSshd, type LocalSshd } from './local-sshd.js';

const STAND_IN_SCRIPT = 'sleep 600; :';
/** Bound on a stand-in's command line appearing in /proc. */
const STAND_IN_START_TIMEOUT_MS = 5_000;

let sshd: LocalSshd;
let host: SshHost;
let dir: string;
const children: ChildProcess[] = [];

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** `shell` is /bin/sh or a copy of it (whose file name becomes the command name in /proc/PID/stat). */
async function standIn(argv0: string, args: readonly string[], cwd: string, shell = '/bin/sh'): Promise<number> {
  const child = spawn(shell, ['-c', STAND_IN_SCRIPT, ...args], { argv0, cwd, detached: true, stdio: 'ignore' });
  children.push(child);
  const pid = child.pid ?? -1;
  const deadline = Date.now() + STAND_IN_START_TIMEOUT_MS;
  while (!readCmdline(pid).includes(STAND_IN_SCRIPT)) {
    if (Date.now() > deadline) throw new Error(`stand-in ${pid} did not start`);
    await new Promise((done) => setTimeout(done, 20));
  }
  return pid;
}

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

function localStartTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

const pids: Record<string, number> = {};
const CLASS_PATH = ['-Xmx1G', '-cp', '/opt/kafka/libs/*'];
const ZK_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

before(async () => {
  sshd = await startLocalSshd();
  host = new SshHost(sshd.target);
  await host.open();
  dir = mkdtempSync('/tmp/fl-discovery-');
  const k1 = join(dir, 'k1');
  write(join(k1, 'config/server.properties'), '# KRaft\nprocess.roles=broker,controller\nnode.id=1\nlog.dirs=data\nlisteners=PLAINTEXT://:9092,CONTROLLER://:9093\ncontroller.listener.names=CONTROLLER\n');
  write(join(k1, 'data/meta.properties'), 'version=1\ncluster.id=TESTCLUSTER\nnode.id=1\n');
  // A command name with ') ' in it: the start time is read after the last ') ' of /proc/PID/stat.
  const oddShell = join(dir, 'sh) (x y');
  copyFileSync('/bin/sh', oddShell);
  chmodSync(oddShell, 0o755);
  const k1Args = [...CLASS_PATH, 'kafka.Kafka', 'config/server.properties', '--override', 'advertised.listeners=PLAINTEXT://10.1.1.1:9092'];
  pids.k1 = await standIn('java', k1Args, k1, oddShell);
  const k2 = join(dir, "k2 it's");
  const k2Config = write(join(k2, 'server.properties'), `broker.id=2\nlog.dirs=${k2}/a,\\\n    ${k2}/b\nzookeeper.connect=localhost:2181\nname=caf\xe9\n`);
  write(join(k2, 'b/meta.properties'), 'version=0\ncluster.id=ZKCLUSTER\nbroker.id=2\n');
  pids.k2 = await standIn('/usr/lib/jvm/java-17-openjdk-amd64/bin/java', [...CLASS_PATH, 'kafka.Kafka', k2Config], '/');
  const zkConfig = write(join(dir, 'zk/zoo.cfg'), 'dataDir=zkdata\nclientPort=2181\n');
  pids.zk = await standIn('java', ['-cp', 'x', ZK_MAIN, zkConfig], join(dir, 'zk'));
  pids.notJava = await standIn('tail', ['kafka.Kafka', k2Config], dir);
  pids.otherClass = await standIn('java', ['-cp', 'x', 'kafka.KafkaTool', k2Config], dir);
  pids.noConfig = await standIn('java', ['-cp', 'x', 'kafka.Kafka'], dir);
});

after(async () => {
  for (const child of children) {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await host.close();
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

function ours(found: readonly DiscoveredProcess[]): Map<string, DiscoveredProcess> {
  const byPid = new Map(found.map((p) => [p.pid, p]));
  return new Map(Object.entries(pids).flatMap(([name, pid]) => {
    const process = byPid.get(pid);
    return process === undefined ? [] : [[name, process] as const];
  }));
}

test('finds the Kafka and ZooKeeper JVMs in one round trip, with argv, cwd, config, start time; ignores the others', async () => {
  const started = Date.now();
  const found = ours(await discoverKafkaProcesses(host));
  process.stdout.write(`# discovery round trip: ${Date.now() - started} ms\n`);
  assert.deepEqual([...found.keys()].sort(), ['k1', 'k2', 'zk']);
  const k1 = found.get('k1') as DiscoveredKafka;
  assert.equal(k1.kind, 'kafka');
  assert.deepEqual(k1.argv, readCmdline(pids.k1 ?? 0));
  assert.match(readFileSync(`/proc/${pids.k1 ?? 0}/stat`, 'utf8'), /^\d+ \(sh\) \(x y\) S /);
  assert.deepEqual([k1.cwd, k1.configFile, k1.startTime], [join(dir, 'k1'), join(dir, 'k1/config/server.properties'), localStartTime(pids.k1 ?? 0)]);
  assert.match(k1.configText, /^# KRaft\nprocess.roles=broker,controller\n/);
  assert.deepEqual([k1.config.nodeId, k1.config.roles, k1.logDirs, k1.clusterId, k1.metaNodeId], [1, ['broker', 'controller'], [join(dir, 'k1/data')], 'TESTCLUSTER', 1]);
  assert.deepEqual(k1.config.advertisedListeners, [{ name: 'PLAINTEXT', host: '10.1.1.1', port: 9092 }], 'the --override applies');
  const zk = found.get('zk') as DiscoveredZooKeeper;
  assert.deepEqual([zk.kind, zk.config, zk.cwd, zk.configFile], ['zookeeper', { clientPort: 2181, dataDir: 'zkdata' }, join(dir, 'zk'), join(dir, 'zk/zoo.cfg')]);
});

test('an absolute config path with a quote and a blank, continued log.dirs, meta.properties of the second dir, Latin-1 text', async () => {
  const k2 = ours(await discoverKafkaProcesses(host)).get('k2') as DiscoveredKafka;
  const base = join(dir, "k2 it's");
  assert.deepEqual([k2.cwd, k2.configFile, k2.config.nodeId, k2.config.metadataMode], ['/', join(base, 'server.properties'), 2, 'zookeeper']);
  assert.deepEqual(k2.logDirs, [join(base, 'a'), join(base, 'b')]);
  assert.deepEqual([k2.clusterId, k2.metaNodeId], ['ZKCLUSTER', 2]);
  assert.match(k2.configText, /name=cafÃ©\n$/, 'UTF-8 bytes read as ISO-8859-1, as Java does');
});

test('bounds: more processes than maxProcesses, a config over maxConfigBytes, timeoutMs; an unreadable config names the file', async () => {
  await assert.rejects(discoverKafkaProcesses(host, { maxProcesses: 2 }), (e: unknown) =>
    e instanceof FaultlineError && e.message === 'host 127.0.0.1: more than 2 Kafka and ZooKeeper processes (maxProcesses)');
  await assert.rejects(discoverKafkaProcesses(host, { maxConfigBytes: 20 }), /^FaultlineError: host 127\.0\.0\.1: (Kafka|ZooKeeper) pid \d+: its config file .* exceeds 20 bytes \(maxConfigBytes\)$/);
  await assert.rejects(discoverKafkaProcesses(host, { timeoutMs: 1 }), { message: 'host 127.0.0.1: discovery did not finish within 1 ms (timeoutMs)' });
  const missing = join(dir, 'gone.properties');
  const pid = await standIn('java', ['-cp', 'x', 'kafka.Kafka', missing], dir);
  try {
    await assert.rejects(discoverKafkaProcesses(host), { message: `host 127.0.0.1: Kafka pid ${pid}: cannot read its config file ${missing}` });
  } finally {
    process.kill(-pid, 'SIGKILL');
  }
});

test('run as a user who may not read the JVMs\' /proc/PID/cwd, the script says so and discovery names the process', () => {
  const stdout = execFileSync('runuser', ['-u', 'nobody', '--', 'sh', '-c', DISCOVERY_SCRIPT, 'faultline-discover', '16', '262144', '16384'], { encoding: 'utf8', cwd: '/' });
  assert.match(stdout, new RegExp(`^process ${pids.k1 ?? 0}\nstart \\d+\ncmdline\n(?: [0-9a-f ]+\n)+cwd-unreadable\nend$`, 'm'));
  assert.throws(() => processesFromOutput('local', stdout, { maxProcesses: 16, maxConfigBytes: 262_144 }),
    /^FaultlineError: host local: (Kafka|ZooKeeper) pid \d+: cannot read \/proc\/\d+\/cwd \(connect as root or as the user the JVM runs as\)$/);
});
