import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { faultlineHome } from '../util/paths.js';
import { FaultlineError } from '../errors.js';
import { withFileLock } from '../util/file-lock.js';
import { readClusterState } from '../cluster/cluster-state.js';

/**
 * How to undo a fault, as plain data, written to disk *before* the fault acts: a faultline killed
 * mid-fault leaves a registry from which `faultline heal --all` can restore a clean machine.
 */
export type UndoAction =
  /** Rules in local namespaces (a job's; node faults recorded before providers). */
  | { readonly type: 'iptables-sweep'; readonly namespaces: readonly string[]; readonly faultId: string }
  /** A fault's rules on cluster nodes, swept through the cluster's provider. */
  | { readonly type: 'rules-sweep'; readonly nodes: readonly string[]; readonly faultId: string }
  /** A node's fill-disk file, removed through the cluster's provider. */
  | { readonly type: 'free-disk'; readonly node: string }
  | { readonly type: 'resume-node'; readonly node: string }
  | { readonly type: 'start-node'; readonly node: string }
  | { readonly type: 'kill-process'; readonly pid: number; readonly marker: string }
  /** A degrade proxy started through the provider where `node` runs (its host, over SSH). */
  | { readonly type: 'stop-proxy'; readonly node: string; readonly pid: number; readonly faultId: string }
  | { readonly type: 'remove-file'; readonly path: string };

export interface FaultRecord {
  readonly id: string;
  readonly kind: string;
  /** The target as the user wrote it. */
  readonly target: string;
  /** Node names the target resolved to when the fault fired. */
  nodes: string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  /** When the fault was observed in effect (ISO), and how long after the command that was. */
  effectiveAt?: string;
  tookMs?: number;
  undo: UndoAction[];
  status: 'starting' | 'active' | 'healed';
  healedAt?: string;
  /** The faultline process that fired it (a fault left 'starting' by a failed command is healed by that command). */
  readonly ownerPid: number;
  /**
   * The cluster it was fired on ('' when none was recorded). Faults of another cluster are dropped when the
   * registry is read: a new cluster starts with an empty registry. Absent in records written before this field.
   */
  readonly clusterId?: string;
}

interface RegistryFile {
  nextId: number;
  faults: FaultRecord[];
}

export function registryPath(): string {
  return join(faultlineHome(), 'faults.json');
}

function lockPath(): string {
  return join(faultlineHome(), 'faults.lock');
}

function readFile(): RegistryFile {
  const path = registryPath();
  if (!existsSync(path)) return { nextId: 1, faults: [] };
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RegistryFile;
  } catch (error) {
    throw new FaultlineError(`heal registry ${path} is unreadable (${(error as Error).message}); healing all faults still sweeps every faultline rule, proxy and paused node`);
  }
}

/**
 * The id of the cluster recorded now ('' when there is none), or undefined when its state file is unreadable
 * (then every fault is kept: a heal must not lose undo actions because of a damaged state file).
 */
function currentClusterId(): string | undefined {
  try {
    return readClusterState()?.clusterId ?? '';
  } catch {
    return undefined;
  }
}

/** True when a fault belongs to the cluster `current` (records without a cluster id predate the field and are kept). */
export function faultBelongsTo(record: Pick<FaultRecord, 'clusterId'>, current: string | undefined): boolean {
  return current === undefined || record.clusterId === undefined || record.clusterId === current;
}

/** The registry with only the current cluster's faults (ids continue across clusters), and that cluster's id. */
function read(): RegistryFile & { readonly clusterId: string | undefined } {
  const file = readFile();
  const clusterId = currentClusterId();
  return { nextId: file.nextId, faults: file.faults.filter((f) => faultBelongsTo(f, clusterId)), clusterId };
}

/** Atomic and durable: rename over the old file after an fsync. */
function write(file: RegistryFile): void {
  const path = registryPath();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(file, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function withLock<T>(use: () => T): T {
  return withFileLock(lockPath(), use);
}

/** A fault as the nemesis describes it; the registry adds the id, status, start time, owner pid and cluster id. */
export type FaultDraft = Omit<FaultRecord, 'id' | 'status' | 'startedAt' | 'ownerPid' | 'clusterId'>;

/** Registers a new fault with its undo actions in one durable write; the draft may depend on the new id (f1, f2, ...). */
export function registerFault(draft: FaultDraft | ((id: string) => FaultDraft)): FaultRecord {
  return withLock(() => {
    const file = read();
    const clusterId = file.clusterId;
    const id = `f${file.nextId}`;
    const record: FaultRecord = {
      ...(typeof draft === 'function' ? draft(id) : draft),
      id,
      status: 'starting',
      startedAt: new Date().toISOString(),
      ownerPid: process.pid,
      ...(clusterId !== undefined ? { clusterId } : {}),
    };
    file.faults.push(record);
    write({ nextId: file.nextId + 1, faults: file.faults });
    return record;
  });
}

/** Applies a change to one fault record under the lock. */
export function updateFault(id: string, change: (record: FaultRecord) => void): FaultRecord | undefined {
  return withLock(() => {
    const file = read();
    const record = file.faults.find((f) => f.id === id);
    if (!record) return undefined;
    change(record);
    write({ nextId: file.nextId, faults: file.faults });
    return record;
  });
}

export function listFaults(options: { includeHealed?: boolean } = {}): FaultRecord[] {
  const faults = read().faults;
  return options.includeHealed ? faults : faults.filter((f) => f.status !== 'healed');
}

export function getFault(id: string): FaultRecord | undefined {
  return read().faults.find((f) => f.id === id);
}
