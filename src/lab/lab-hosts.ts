import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FaultlineError } from '../errors.js';
import { createNamespaceOnBridge, ensureBridge, listNamespaces, assertNetworkAdmin } from '../net/namespace.js';
import { knownHostsFileOf } from '../ssh/ssh-target.js';
import { DEFAULT_REMOTE_DIR } from '../ssh/remote-layout.js';
import { execCapture } from '../util/exec.js';
import { findProcessesByMarker, isProcessAlive, signalProcess, waitForExit } from '../util/process.js';
import { checkLabHostCount, labHostAddress, labHostName, labNamespace, labPlan, labVeth, LAB_BRIDGE, LAB_NAMESPACE_PREFIX, LAB_VETH_PREFIX } from './lab-plan.js';
import { generateKey, LAB_SSHD_MARKER, SSHD_PATH, spawnLabSshd, sshdConfig, waitForLabSshd, type LabSshdSpec } from './lab-sshd.js';
import { labDir, readLabState, removeLabState, writeLabState, type LabHost, type LabState } from './lab-state.js';

/** Default size of each lab host's disk (a tmpfs: only what is written takes memory). */
export const DEFAULT_LAB_DISK_MB = 2048;
/** Bound on a lab host's processes ending after SIGKILL. */
const LAB_STOP_TIMEOUT_MS = 5_000;

export interface LabUpOptions {
  readonly hosts: number;
  readonly diskMb?: number;
}

/**
 * Starts `hosts` lab hosts (see lab-plan.ts) that accept the lab's key for root, and records their keys in
 * faultline's known_hosts. Refuses while a lab runs; on a failure, removes what it made.
 */
export async function labUp(options: LabUpOptions): Promise<LabState> {
  assertNetworkAdmin();
  const count = checkLabHostCount(options.hosts);
  if (!existsSync(SSHD_PATH)) throw new FaultlineError(`${SSHD_PATH} is missing: install Debian's openssh-server (scripts/setup.sh does)`);
  const existing = readLabState();
  if (existing) throw new FaultlineError(`a lab of ${existing.hosts.length} hosts is running (since ${existing.createdAt}); run 'faultline lab down' first`);
  await labDown();
  try {
    return await startLab(count, options.diskMb ?? DEFAULT_LAB_DISK_MB);
  } catch (error) {
    await labDown().catch(() => undefined);
    throw error;
  }
}

async function startLab(count: number, diskMb: number): Promise<LabState> {
  const plan = labPlan();
  const dir = labDir();
  mkdirSync(dir, { recursive: true });
  mkdirSync(DEFAULT_REMOTE_DIR, { recursive: true }); // the mount point of every host's own tmpfs
  generateKey(join(dir, 'id_ed25519'));
  copyFileSync(join(dir, 'id_ed25519.pub'), join(dir, 'authorized_keys'));
  await ensureBridge({ prefix: plan.prefix, bridge: plan.bridge, hostAddress: plan.controlAddress });
  const specs: LabSshdSpec[] = [];
  for (let k = 1; k <= count; k++) {
    const name = labHostName(k);
    const spec = { name, namespace: labNamespace(name), address: labHostAddress(plan, k), dir: join(dir, name), remoteDir: DEFAULT_REMOTE_DIR, diskMb };
    mkdirSync(spec.dir, { recursive: true });
    generateKey(join(spec.dir, 'host_key'));
    writeFileSync(join(spec.dir, 'sshd_config'), sshdConfig(spec.dir, spec.address, dir));
    await createNamespaceOnBridge({ bridge: plan.bridge, namespace: spec.namespace, hostVeth: labVeth(name), address: spec.address });
    specs.push(spec);
  }
  const hosts: LabHost[] = specs.map((spec) => ({ name: spec.name, address: spec.address, namespace: spec.namespace, pid: spawnLabSshd(spec) }));
  const state: LabState = { formatVersion: 1, createdAt: new Date().toISOString(), controlAddress: plan.controlAddress, keyFile: join(dir, 'id_ed25519'), remoteDir: DEFAULT_REMOTE_DIR, diskMb, hosts };
  writeLabState(state);
  await Promise.all(specs.map((spec) => waitForLabSshd(spec)));
  trustHostKeys(specs);
  return state;
}

/** Puts each host's key into faultline's known_hosts in place of any older key for its address. */
function trustHostKeys(specs: readonly LabSshdSpec[]): void {
  const file = knownHostsFileOf({ host: 'lab' });
  const addresses = new Set(specs.map((s) => s.address));
  const kept = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '' && !addresses.has(line.split(' ')[0] ?? '')) : [];
  const added = specs.map((spec) => {
    const [type, key] = readFileSync(join(spec.dir, 'host_key.pub'), 'utf8').trim().split(' ');
    return `${spec.address} ${type ?? ''} ${key ?? ''}`;
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, [...kept, ...added, ''].join('\n'));
}

/**
 * Ends every lab host (killing a host's first process ends all of its processes: its sshd, and any Kafka
 * started on it) and removes the lab's namespaces, veths and bridge. Safe to run at any time.
 */
export async function labDown(): Promise<string[]> {
  assertNetworkAdmin();
  let recorded: readonly LabHost[] = [];
  try {
    recorded = readLabState()?.hosts ?? [];
  } catch {
    // an unreadable state file: the marker sweep below still finds every host
  }
  const removed: string[] = [];
  const pids = new Set([...recorded.map((h) => h.pid).filter((pid) => isProcessAlive(pid, LAB_SSHD_MARKER)), ...findProcessesByMarker(LAB_SSHD_MARKER)]);
  for (const pid of pids) {
    signalProcess(pid, 'SIGKILL');
    await waitForExit(pid, LAB_STOP_TIMEOUT_MS);
    removed.push(`lab host process ${pid}`);
  }
  removed.push(...(await removeLabNetworking()));
  removeLabState();
  return removed;
}

async function removeLabNetworking(): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of (await listNamespaces()).filter((n) => n.startsWith(LAB_NAMESPACE_PREFIX))) {
    if ((await execCapture('ip', ['netns', 'del', ns])).code === 0) removed.push(`netns ${ns}`);
  }
  const links = await execCapture('ip', ['-o', 'link', 'show']);
  for (const line of links.stdout.split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    if (name && (name.startsWith(LAB_VETH_PREFIX) || name === LAB_BRIDGE) && (await execCapture('ip', ['link', 'del', name])).code === 0) removed.push(`link ${name}`);
  }
  return removed;
}
