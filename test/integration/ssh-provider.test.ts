/**
 * The SSH provider against lab hosts (src/lab): network namespaces that each run their own OpenSSH server in their
 * own PID and mount namespaces, so a node's pid, files and iptables rules are the host's, not this machine's.
 * Everything is observed from outside faultline: /proc and nsenter into a host, TCP from another host's namespace,
 * iptables-save in the host's namespace.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Before anything reads it: this file's recorded SSH hosts must not leak into the other test files.
const home = mkdtempSync(join(tmpdir(), 'faultline-ssh-home-'));
process.env['FAULTLINE_HOME'] = home;

const { clusterDown, clusterUp } = await import('../../src/cluster/local-cluster.js');
const { readClusterState, requireClusterState } = await import('../../src/cluster/cluster-state.js');
const { clusterDetach } = await import('../../src/cluster/ssh/detach.js');
const { labDown, labUp } = await import('../../src/lab/lab-hosts.js');
const { canConnect, residue, runCliAsync, waitFor } = await import('./support.js');

/** A fault on a host undoes itself this long after it was put there (unless healed first). */
const UNDO_AFTER_MS = 8_000;
/** Three for the cluster, a fourth without Kafka (attach's bad input). */
const HOSTS = 4;
const CLUSTER_HOSTS = 3;

interface Lab { addresses: string[]; namespaces: string[]; pids: number[]; keyFile: string }
let lab: Lab;

/** The pids (as this machine sees them) of java processes whose command line holds the marker. */
function javaWithMarker(marker: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'java';
    } catch {
      return false;
    }
  }).map(Number);
}

function markerOf(node: string): string {
  const state = requireClusterState();
  const found = state.nodes.find((n) => n.name === node);
  assert.ok(found, `node ${node}`);
  return found.marker;
}

/** Runs a command inside lab host k's mount and PID namespaces (as a process of that host). */
function onHost(k: number, argv: readonly string[]): { code: number; stdout: string } {
  const result = spawnSync('nsenter', ['-t', String(lab.pids[k]), '-m', '-p', '-n', '--', ...argv], { encoding: 'utf8', timeout: 10_000 });
  return { code: result.status ?? -1, stdout: result.stdout };
}

function taggedRules(k: number): string[] {
  const dump = spawnSync('ip', ['netns', 'exec', lab.namespaces[k] ?? '', 'iptables-save'], { encoding: 'utf8' }).stdout;
  return dump.split('\n').filter((l) => l.startsWith('-A ') && l.includes('faultline:'));
}

/** The lab host's sshd process (the child of the recorded `unshare`): nsenter needs a process inside the namespaces. */
function hostInit(unsharePid: number): number {
  const child = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).find((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === unsharePid;
    } catch {
      return false;
    }
  });
  assert.ok(child, `the first process of the lab host under unshare ${unsharePid}`);
  return Number(child);
}

/** The state letter of a process (as this machine sees it) from /proc/PID/stat. */
function processStateLetter(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}

/** Free bytes of lab host k's disk (its tmpfs at /var/lib/faultline), read inside the host. */
function freeBytesOnHost(k: number): number {
  return Number(onHost(k, ['sh', '-c', "df -P -B1 /var/lib/faultline | awk 'NR == 2 { print $4 }'"]).stdout.trim());
}

/** Added one-way delay in the degrade test: large enough to stand out of a loaded machine's noise. */
const DEGRADE_LATENCY_MS = 150;

/** Time from sending a Kafka ApiVersions v0 request on a fresh connection to the first byte of the answer. */
function apiVersionsRoundTripMs(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer from ${host}:${port} within 10 s`)); }, 10_000);
    let sentAt = 0;
    socket.once('connect', () => {
      sentAt = performance.now();
      // size 10; api key 18 (ApiVersions), version 0, correlation id 1, null client id
      socket.write(Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff]));
    });
    socket.once('data', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(performance.now() - sentAt);
    });
    socket.once('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

/** The faultline Java proxies running on lab host k (seen inside its PID namespace). */
function proxiesOnHost(k: number): string[] {
  return onHost(k, ['sh', '-c', 'grep -lzF "tag=faultline-proxy:" /proc/[0-9]*/cmdline 2>/dev/null | while read -r f; do p=${f#/proc/}; p=${p%/cmdline}; [ "$(cat /proc/$p/comm 2>/dev/null)" = java ] && echo $p; done; true']).stdout.split('\n').filter((l) => l !== '');
}

const ssh = (hosts: readonly string[]) => ({ hosts, user: 'root', keyFile: lab.keyFile, undoAfterMs: UNDO_AFTER_MS });

describe('the SSH provider on lab hosts', () => {
  before(async () => {
    const state = await labUp({ hosts: HOSTS, diskMb: 1024 });
    lab = { addresses: state.hosts.map((h) => h.address), namespaces: state.hosts.map((h) => h.namespace), pids: state.hosts.map((h) => hostInit(h.pid)), keyFile: state.keyFile };
  });

  after(async () => {
    await clusterDown().catch(() => undefined);
    clusterDetach();
    await labDown();
    rmSync(home, { recursive: true, force: true });
    assert.deepEqual(await residue(), []);
  });

  test('bad hosts: one clear error each, before anything changes on any host', async () => {
    const [h1 = '', h2 = ''] = lab.addresses;
    await assert.rejects(clusterUp({ provider: 'ssh', ssh: { ...ssh([h1, h2]), hosts: [h1, h1] } }), /hosts\[1\]: .* is listed twice/);
    await assert.rejects(clusterUp({ provider: 'ssh', ssh: ssh([h1, '10.214.0.99', h2]) }), /10\.214\.0\.99/);
    const otherKey = join(home, 'other_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    await assert.rejects(clusterUp({ provider: 'ssh', ssh: { ...ssh(lab.addresses), keyFile: otherKey } }), /10\.214\.0\.1[123].*(denied|key)/i);
    await assert.rejects(clusterUp({ provider: 'ssh', brokers: 3, ssh: ssh([h1, h2]) }), /hosts: a kraft cluster of 3 brokers needs 3 hosts, got 2/);
    for (let k = 0; k < HOSTS; k++) assert.equal(onHost(k, ['ls', '/var/lib/faultline']).stdout.trim(), '', `nothing was written on host ${k + 1}`);
    clusterDetach();
  });

  test('cluster up --provider ssh: each node a JVM in its host\'s PID namespace, reachable from the other hosts', async () => {
    const hosts = lab.addresses.slice(0, CLUSTER_HOSTS).join(',');
    const up = await runCliAsync(['cluster', 'up', '--provider', 'ssh', '--hosts', hosts, '--ssh-user', 'root', '--ssh-key', lab.keyFile, '--undo-after-ms', String(UNDO_AFTER_MS), '--json'], 180_000);
    assert.equal(up.code, 0, up.stderr);
    const summary = JSON.parse(up.stdout) as { nodes: { name: string; host: string }[] };
    assert.deepEqual(summary.nodes.map((n) => n.host), lab.addresses.slice(0, CLUSTER_HOSTS));
    const ours = readlinkSync('/proc/self/ns/pid');
    for (const node of ['n1', 'n2', 'n3']) {
      const [pid] = javaWithMarker(markerOf(node));
      assert.ok(pid, `a JVM of ${node}`);
      assert.notEqual(readlinkSync(`/proc/${pid}/ns/pid`), ours, `${node} runs in its host's PID namespace`);
    }
    assert.ok(canConnect(lab.namespaces[0], lab.addresses[2] ?? '', 9092), 'h1 reaches n3');
    assert.ok(onHost(1, ['test', '-e', '/var/lib/faultline/cluster/n2/server.properties']).code === 0, "n2's config is on its host");
  });

  test('kill and heal over SSH: the JVM is gone on its host, then back', async () => {
    const kill = await runCliAsync(['fault', 'kill', 'node:n1']);
    assert.equal(kill.code, 0, kill.stderr);
    assert.deepEqual(javaWithMarker(markerOf('n1')), []);
    assert.ok(!canConnect(lab.namespaces[1], lab.addresses[0] ?? '', 9092), 'n1 refuses connections while killed');
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
    assert.equal(javaWithMarker(markerOf('n1')).length, 1);
    assert.ok(canConnect(lab.namespaces[1], lab.addresses[0] ?? '', 9092), 'n1 is back');
    const logs = await runCliAsync(['cluster', 'logs', 'n1']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout.split('Kafka Server started').length - 1, 2, 'the log on h1 shows both starts');
    const status = await runCliAsync(['cluster', 'status', '--json']);
    assert.deepEqual((JSON.parse(status.stdout) as { nodes: { state: string }[] }).nodes.map((n) => n.state), ['running', 'running', 'running']);
  });

  test('pause and fill-disk over SSH: the JVM stopped on its host and the host\'s disk full, then both undone by heal', async () => {
    const [n2] = javaWithMarker(markerOf('n2'));
    assert.ok(n2);
    const pause = await runCliAsync(['fault', 'pause', 'node:n2']);
    assert.equal(pause.code, 0, pause.stderr);
    assert.match(processStateLetter(n2), /^[Tt]$/, 'n2 is stopped (SIGSTOP)');
    const fill = await runCliAsync(['fault', 'fill-disk', 'node:n3']);
    assert.equal(fill.code, 0, fill.stderr);
    assert.ok(freeBytesOnHost(2) < 1024 * 1024, `h3's disk is full (${freeBytesOnHost(2)} bytes free)`);
    assert.ok(freeBytesOnHost(1) > 100 * 1024 * 1024, 'h2\'s disk is not');
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
    assert.doesNotMatch(processStateLetter(n2), /^[Tt]$/, 'n2 runs again');
    assert.ok(freeBytesOnHost(2) > 100 * 1024 * 1024, 'h3\'s disk is free again');
  });

  test('degrade over SSH: a link from the clients into n1 gains twice the latency through the Java proxy on h1; heal stops it there', async () => {
    const n1 = lab.addresses[0] ?? '';
    const baseline = await apiVersionsRoundTripMs(n1, 9092);
    const degrade = await runCliAsync(['fault', 'degrade', 'node:n1', '--peers', 'clients', '--latency-ms', String(DEGRADE_LATENCY_MS)]);
    assert.equal(degrade.code, 0, degrade.stderr);
    assert.equal(proxiesOnHost(0).length, 2, 'one Java proxy per port of n1 (broker and controller) runs on h1');
    const slowed = await apiVersionsRoundTripMs(n1, 9092);
    assert.ok(slowed >= 2 * DEGRADE_LATENCY_MS - 10, `a round trip gains twice the latency (${baseline.toFixed(0)} -> ${slowed.toFixed(0)} ms)`);
    assert.ok(onHost(0, ['sh', '-c', 'ls /var/lib/faultline/undo']).stdout.includes('proxy.'), 'the proxy is armed to stop itself on h1');
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
    assert.deepEqual(proxiesOnHost(0), [], 'no proxy left on h1');
    assert.deepEqual(taggedRules(0), []);
    const after = await apiVersionsRoundTripMs(n1, 9092);
    assert.ok(after < DEGRADE_LATENCY_MS, `fast again (${after.toFixed(0)} ms)`);
    process.stderr.write(`degrade over SSH: round trip ${baseline.toFixed(1)} -> ${slowed.toFixed(1)} -> ${after.toFixed(1)} ms\n`);
  });

  test('a partition whose faultline is gone and cut off heals itself on the host within the expiry', async () => {
    const cut = await runCliAsync(['fault', 'partition', 'node:n2']);
    assert.equal(cut.code, 0, cut.stderr);
    const cutAt = Date.now();
    assert.ok(taggedRules(1).length > 0, 'rules on h2');
    assert.ok(!canConnect(lab.namespaces[0], lab.addresses[1] ?? '', 9093), 'h1 cannot reach n2');
    // The faultline process that made the fault has exited; now cut this machine off every host as well.
    for (const ns of lab.namespaces) spawnSync('ip', ['netns', 'exec', ns, 'iptables', '-I', 'INPUT', '-s', '10.214.0.1', '-j', 'DROP']);
    try {
      await waitFor('h2 to remove the rules by itself', () => (taggedRules(1).length === 0 ? true : undefined), UNDO_AFTER_MS + 10_000);
      const healedAfterMs = Date.now() - cutAt;
      assert.ok(healedAfterMs >= UNDO_AFTER_MS - 1000, `not before the expiry (${healedAfterMs} ms)`);
      assert.ok(canConnect(lab.namespaces[0], lab.addresses[1] ?? '', 9093), 'h1 reaches n2 again');
    } finally {
      for (const ns of lab.namespaces) spawnSync('ip', ['netns', 'exec', ns, 'iptables', '-D', 'INPUT', '-s', '10.214.0.1', '-j', 'DROP']);
    }
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
  });

  test('a killed node whose faultline is cut off is started again by its host', async () => {
    const kill = await runCliAsync(['fault', 'kill', 'node:n3']);
    assert.equal(kill.code, 0, kill.stderr);
    const marker = markerOf('n3');
    assert.deepEqual(javaWithMarker(marker), []);
    spawnSync('ip', ['netns', 'exec', lab.namespaces[2] ?? '', 'iptables', '-I', 'INPUT', '-s', '10.214.0.1', '-j', 'DROP']);
    try {
      await waitFor('h3 to start n3 by itself', () => (javaWithMarker(marker).length === 1 ? true : undefined), UNDO_AFTER_MS + 10_000);
      await waitFor('n3 to listen', () => (canConnect(lab.namespaces[0], lab.addresses[2] ?? '', 9092) ? true : undefined), 60_000);
    } finally {
      spawnSync('ip', ['netns', 'exec', lab.namespaces[2] ?? '', 'iptables', '-D', 'INPUT', '-s', '10.214.0.1', '-j', 'DROP']);
    }
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
    assert.equal(javaWithMarker(marker).length, 1, 'the heal adopts the node the host started (no second JVM)');
  });

  test('cluster attach finds the running cluster; bad hosts (no Kafka, another cluster, a changed broker id) get one error each; faults on it need --yes', async () => {
    const installed = requireClusterState().nodes.map((n) => ({ name: n.name, id: n.id, role: n.role, host: n.host, pid: n.pid }));
    assert.equal((await runCliAsync(['cluster', 'detach'])).code, 0);
    const sshFlags = ['--ssh-user', 'root', '--ssh-key', lab.keyFile, '--undo-after-ms', String(UNDO_AFTER_MS)];
    const three = lab.addresses.slice(0, CLUSTER_HOSTS).join(',');
    const h4 = lab.addresses[3] ?? '';
    const noKafka = await runCliAsync(['cluster', 'attach', '--hosts', `${three},${h4}`, ...sshFlags]);
    assert.notEqual(noKafka.code, 0);
    assert.match(noKafka.stderr, new RegExp(`${h4.replace(/\./g, '\\.')}.*(no Kafka|ZooKeeper)`, 'i'));
    // h4 now runs a "broker" of another cluster: a stand-in JVM command line with node.id 7 the metadata does not list
    const config = `process.roles=broker,controller\nnode.id=7\nlisteners=PLAINTEXT://${h4}:9092,CONTROLLER://${h4}:9093\ncontroller.listener.names=CONTROLLER\nlog.dirs=/var/lib/faultline/other\n`;
    onHost(3, ['sh', '-c', 'mkdir -p /var/lib/faultline/other && printf "%s" "$1" > /var/lib/faultline/server.properties', 'x', config]);
    onHost(3, ['bash', '-c', '(exec -a java sh -c "sleep 600; :" -cp x kafka.Kafka /var/lib/faultline/server.properties) >/dev/null 2>&1 &']);
    const other = await runCliAsync(['cluster', 'attach', '--hosts', `${three},${h4}`, ...sshFlags]);
    onHost(3, ['pkill', '-f', 'sleep 600; :']);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /\b7\b/, other.stderr);
    assert.match(other.stderr, new RegExp(h4.replace(/\./g, '\\.')), other.stderr);
    // h3's broker id changed in its config file while the broker runs (its log dirs still say 3)
    const n3Config = '/var/lib/faultline/cluster/n3/server.properties';
    onHost(2, ['sed', '-i', 's/^node.id=3$/node.id=9/', n3Config]);
    const changedId = await runCliAsync(['cluster', 'attach', '--hosts', three, ...sshFlags]);
    onHost(2, ['sed', '-i', 's/^node.id=9$/node.id=3/', n3Config]);
    assert.notEqual(changedId.code, 0);
    assert.match(changedId.stderr, /host 10\.214\.0\.13: .*node 9, but the broker's log dirs belong to node 3/, changedId.stderr);
    const attach = await runCliAsync(['cluster', 'attach', '--hosts', three, ...sshFlags, '--json']);
    assert.equal(attach.code, 0, attach.stderr);
    const found = (JSON.parse(attach.stdout) as { nodes: { name: string; id: number; role: string; host: string; pid: number }[] }).nodes;
    assert.deepEqual(found.map((n) => ({ name: n.name, id: n.id, role: n.role, host: n.host, pid: n.pid })), installed);
    const refused = await runCliAsync(['fault', 'kill', 'node:n2']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /attached.*--yes/);
    assert.equal(javaWithMarker(markerOf('n2')).length, 1, 'nothing was done without --yes');
    const kill = await runCliAsync(['fault', 'kill', 'node:n2', '--yes']);
    assert.equal(kill.code, 0, kill.stderr);
    assert.equal(javaWithMarker(markerOf('n2')).length, 0);
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
    await waitFor('n2 to listen again', () => (canConnect(lab.namespaces[0], lab.addresses[1] ?? '', 9092) ? true : undefined), 30_000);
  });

  test('an attached node restarts through its installation\'s start script (--kafka-home) or the --start-command; a missing installation is one error', async () => {
    const sshFlags = ['--ssh-user', 'root', '--ssh-key', lab.keyFile, '--undo-after-ms', String(UNDO_AFTER_MS)];
    const three = lab.addresses.slice(0, CLUSTER_HOSTS).join(',');
    // a Kafka installation on every host whose bin/kafka-server-start.sh, like Kafka's own, runs the JVM with the
    // script's arguments (the config file first) after the node's java, JVM options and main class; it notes each start
    for (const node of requireClusterState().nodes) {
      const k = lab.addresses.indexOf(node.host);
      const argv = node.argv ?? [];
      const prefix = argv.slice(0, argv.indexOf('kafka.Kafka') + 1);
      assert.ok(k >= 0 && prefix.length > 1, `node ${node.name}: its host and command line`);
      const script = '#!/bin/sh\necho "$*" >> /var/lib/faultline/kh/started\nn=$#\nwhile IFS= read -r a; do set -- "$@" "$a"; done < /var/lib/faultline/kh/prefix\n' +
        'i=0; while [ $i -lt $n ]; do a=$1; shift; set -- "$@" "$a"; i=$((i + 1)); done\nexec "$@"\n';
      onHost(k, ['sh', '-c', 'mkdir -p /var/lib/faultline/kh/bin && printf "%s\\n" "$@" > /var/lib/faultline/kh/prefix', 'x', ...prefix]);
      onHost(k, ['sh', '-c', 'printf "%s" "$1" > /var/lib/faultline/kh/bin/kafka-server-start.sh && chmod 755 /var/lib/faultline/kh/bin/kafka-server-start.sh', 'x', script]);
    }
    assert.equal((await runCliAsync(['cluster', 'detach'])).code, 0);
    const missing = await runCliAsync(['cluster', 'attach', '--hosts', three, ...sshFlags, '--kafka-home', '/opt/nokafka']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /kafkaHome: host 10\.214\.0\.11 has no executable \/opt\/nokafka\/bin\/kafka-server-start\.sh/);
    assert.equal(readClusterState(), undefined, 'nothing recorded');
    const attached = await runCliAsync(['cluster', 'attach', '--hosts', three, ...sshFlags, '--kafka-home', '/var/lib/faultline/kh']);
    assert.equal(attached.code, 0, attached.stderr);
    const n2 = markerOf('n2');
    assert.equal((await runCliAsync(['fault', 'kill', 'node:n2', '--yes'])).code, 0);
    assert.equal(javaWithMarker(n2).length, 0);
    const heal = await runCliAsync(['heal', '--all']);
    assert.equal(heal.code, 0, heal.stderr);
    assert.equal(javaWithMarker(n2).length, 1);
    assert.equal(onHost(1, ['cat', '/var/lib/faultline/kh/started']).stdout.trim(), n2, 'started by the installation\'s script with the config file');
    await waitFor('n2 to listen again', () => (canConnect(lab.namespaces[0], lab.addresses[1] ?? '', 9092) ? true : undefined), 30_000);
    // the user's own commands: a start command that notes the node and forks the script (the JVM outlives the command,
    // under another pid, which the start wait adopts); a stop command that signals FAULTLINE_PID
    assert.equal((await runCliAsync(['cluster', 'detach'])).code, 0);
    const start = 'echo "$FAULTLINE_NODE" >> /var/lib/faultline/kh/by-command; "$KAFKA_HOME/bin/kafka-server-start.sh" "$FAULTLINE_CONFIG" &';
    const stop = 'echo "$FAULTLINE_NODE $FAULTLINE_PID" >> /var/lib/faultline/kh/stopped; kill -s TERM "$FAULTLINE_PID"';
    const withCommands = await runCliAsync(['cluster', 'attach', '--hosts', three, ...sshFlags, '--kafka-home', '/var/lib/faultline/kh', '--start-command', start, '--stop-command', stop]);
    assert.equal(withCommands.code, 0, withCommands.stderr);
    assert.equal((await runCliAsync(['fault', 'kill', 'node:n1', '--yes'])).code, 0);
    assert.equal((await runCliAsync(['heal', '--all'])).code, 0);
    assert.equal(javaWithMarker(markerOf('n1')).length, 1);
    assert.equal(onHost(0, ['cat', '/var/lib/faultline/kh/by-command']).stdout.trim(), 'n1');
    await waitFor('n1 to listen again', () => (canConnect(lab.namespaces[1], lab.addresses[0] ?? '', 9092) ? true : undefined), 30_000);
  });

  test('a suite on the attached cluster: refused without --yes; with it a matching scenario runs there (its topic created and deleted, the cluster kept), another shape is one error', async () => {
    const dir = join(home, 'attached-suite');
    mkdirSync(dir, { recursive: true });
    const scenario = (name: string, metadata: string, topic: string) => [
      'apiVersion: faultline/v1', `name: ${name}`, `title: ${name}`, 'seed: 1', `cluster: { metadata: ${metadata}, brokers: 3 }`,
      `topic: { name: ${topic}, partitions: 1, replicationFactor: 3, config: { min.insync.replicas: "2" } }`,
      'workload: { kind: produce, acks: all, producers: 1, count: 3000, rateMsgsPerSec: 1000, idempotent: true, timeoutMs: 30000 }',
      'faults:', `  - at: { sentFraction: 0.3 }`, `    fault: { kind: kill, target: "leader:${topic}" }`, '    healAfterMs: 2000',
      'expect: { lost: none, duplicates: none }', '',
    ].join('\n');
    writeFileSync(join(dir, 'a-kill-leader.yaml'), scenario('a-kill-leader', 'kraft', 'fl-attached'));
    writeFileSync(join(dir, 'b-zookeeper.yaml'), scenario('b-zookeeper', 'zookeeper', 'fl-attached-zk'));
    const refused = await runCliAsync(['suite', dir, '--runs-dir', join(home, 'runs')]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /attached.*--yes/);
    // A fault that would outlast the hosts' undo expiry: refused before anything starts (no topic made).
    const longDir = join(home, 'attached-suite-long');
    mkdirSync(longDir, { recursive: true });
    writeFileSync(join(longDir, 'c-long.yaml'), scenario('c-long', 'kraft', 'fl-attached-long').replace('healAfterMs: 2000', `healAfterMs: ${UNDO_AFTER_MS + 1000}`));
    const tooLong = await runCliAsync(['suite', longDir, '--runs-dir', join(home, 'runs'), '--yes']);
    assert.equal(tooLong.code, 2, tooLong.stderr);
    assert.match(tooLong.stderr, new RegExp(`c-long: faults\\[0\\]\\.healAfterMs: ${UNDO_AFTER_MS + 1000} ms is not below the SSH hosts' undo expiry \\(undoAfterMs ${UNDO_AFTER_MS} ms\\)`));
    assert.doesNotMatch((await runCliAsync(['topic', 'list', '--json'])).stdout, /fl-attached-long/);
    const suite = await runCliAsync(['suite', dir, '--runs-dir', join(home, 'runs'), '--yes', '--json'], 300_000);
    assert.equal(suite.code, 3, `one scenario could not run (the zookeeper one): ${suite.stderr.slice(-2000)}`);
    const outcomes = (JSON.parse(suite.stdout) as { outcomes: { name: string; error: string | null; row: { asExpected: boolean; verdict: string } }[] }).outcomes;
    const [first, second] = outcomes;
    assert.ok(first && second, suite.stdout.slice(0, 500));
    assert.equal(first.error, null, JSON.stringify(first));
    assert.equal(first.row.asExpected, true, JSON.stringify(first.row));
    assert.match(second.error ?? '', /cluster: the scenario needs a zookeeper cluster of 3 brokers; the attached cluster is kraft with 3/);
    const topics = await runCliAsync(['topic', 'list', '--json']);
    assert.doesNotMatch(topics.stdout, /fl-attached/, 'the scenario\'s topic was deleted');
    for (const node of ['n1', 'n2', 'n3']) assert.equal(javaWithMarker(markerOf(node)).length, 1, `${node} still runs: the suite keeps an attached cluster`);
  });

  test('cluster down of an attached cluster needs --yes, stops every node, leaves no rule or undo, keeps its folders', async () => {
    const refused = await runCliAsync(['cluster', 'down']);
    assert.equal(refused.code, 2, refused.stderr);
    const down = await runCliAsync(['cluster', 'down', '--yes']);
    assert.equal(down.code, 0, down.stderr);
    for (let k = 0; k < CLUSTER_HOSTS; k++) {
      assert.deepEqual(taggedRules(k), []);
      assert.equal(onHost(k, ['test', '-d', '/var/lib/faultline/cluster']).code, 0, 'an attached cluster\'s folders are not faultline\'s to delete');
      assert.equal(onHost(k, ['sh', '-c', 'ls /var/lib/faultline/undo 2>/dev/null']).stdout.trim(), '');
      // stopped by the --stop-command, each with the pid its node runs under now (n1's changed when it was started again)
      assert.match(onHost(k, ['cat', '/var/lib/faultline/kh/stopped']).stdout, new RegExp(`^n${k + 1} \\d+\\n$`));
    }
    assert.deepEqual(readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('-Dfaultline.node=');
      } catch {
        return false;
      }
    }), []);
  });
});
