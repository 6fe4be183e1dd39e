/**
 * Degrade proxies on SSH hosts: faultline's Java proxy (java/FaultlineTcpProxy.java, compiled here, copied to each
 * host once), since a Kafka host has a JVM but need not have Node. Like every SSH fault it is armed first as a
 * self-expiring undo on its host, which stops the fault's proxies there after the cluster's undoAfterMs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FaultlineError } from '../../errors.js';
import { javaProxyArgs, javaProxyClassFiles, JAVA_PROXY_CLASS_DIR, JAVA_PROXY_MAIN_CLASS } from '../../net/java-proxy.js';
import { copyTreeToHost } from '../../ssh/copy-tree.js';
import type { TcpProxyOptions } from '../../net/tcp-proxy-options.js';
import type { DetachedProxy } from '../../net/tcp-proxy-process.js';
import type { RemoteRunner } from '../../ssh/shell-host.js';
import { requireClusterState, type ClusterState } from '../cluster-state.js';
import { PROXY_START_SCRIPT, PROXY_STOP_SCRIPT } from './node-scripts.js';
import { hostOfNode, javaOf, recordedNode, scriptAnswer, sshInfoOf } from './remote-hosts.js';
import { armAndRun, disarm } from './ssh-undo.js';

/** Every proxy's command line carries the argument `tag=faultline-proxy:<fault id>`: what a stop, an undo and a sweep look for. */
const PROXY_TAG_PREFIX = 'faultline-proxy:';

/** The tag of a fault's proxies (javaProxyArgs puts it into the command line as `tag=...`). */
function proxyTag(faultId: string): string {
  return `${PROXY_TAG_PREFIX}${faultId}`;
}

/** The command-line argument that carries a tag (or, for a sweep, the start of every faultline proxy's). */
function tagArgument(tag: string): string {
  return `tag=${tag}`;
}

/** One undo per fault and host: arming it again (a second proxy of the fault there) re-arms the same stop. */
function proxyUndoId(faultId: string): string {
  return `proxy.${faultId.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 64);
}

/** The class files' folder on a host, named by their content so that a changed proxy is copied again. */
function remoteClassDir(state: ClusterState): string {
  const hash = createHash('sha256');
  for (const file of javaProxyClassFiles()) hash.update(basename(file)).update(readFileSync(file));
  return `${sshInfoOf(state).remoteDir}/proxy/${hash.digest('hex').slice(0, 12)}`;
}

/** Hosts (by name and class dir) this process found or put the proxy on already. */
const copied = new Set<string>();

async function ensureProxyClasses(state: ClusterState, host: RemoteRunner): Promise<string> {
  const dir = remoteClassDir(state);
  const key = `${host.target.host}:${dir}`;
  if (copied.has(key)) return dir;
  const present = await scriptAnswer(host, `looking for the proxy in ${dir}`, '[ -s "$1" ] && echo yes || echo no', [`${dir}/${JAVA_PROXY_MAIN_CLASS}.class`]);
  if (present !== 'yes') await copyTreeToHost(host, JAVA_PROXY_CLASS_DIR, dir);
  copied.add(key);
  return dir;
}

/** A JVM beside a broker: small heap, quick start (the proxy's work is I/O, not JIT-heavy). */
const PROXY_JVM_OPTIONS = ['-Xmx48m', '-XX:TieredStopAtLevel=1'] as const;

/** Starts a proxy on the node's host (after arming its undo there); resolves once it listens. */
export async function startSshProxy(name: string, options: TcpProxyOptions, faultId: string): Promise<DetachedProxy> {
  const { state, node } = recordedNode(name);
  const host = await hostOfNode(state, node);
  const dir = await ensureProxyClasses(state, host);
  const tag = proxyTag(faultId);
  const out = `${sshInfoOf(state).remoteDir}/proxy/run/${proxyUndoId(faultId)}.${node.name}.${options.targetPort}.out`;
  const undo = { id: proxyUndoId(faultId), script: PROXY_STOP_SCRIPT, args: [tagArgument(tag), '', 'exact'] };
  const answer = await armAndRun(state, host, undo, { what: `starting a proxy on ${name}`, script: PROXY_START_SCRIPT, args: [javaOf(state, node), out, ...PROXY_JVM_OPTIONS, ...javaProxyArgs(options, { classDir: dir, tag })] });
  const [line = '', ...rest] = answer.split('\n');
  const ready = line.startsWith('{') ? (JSON.parse(line) as { ready: boolean; port?: number; pid?: number; error?: string }) : undefined;
  if (!ready?.ready || ready.port === undefined || ready.pid === undefined) {
    throw new FaultlineError(`host ${host.target.host}: the proxy for ${name} did not start: ${ready?.error ?? rest.join(' ').trim().slice(-400)}`);
  }
  return { pid: ready.pid, port: ready.port };
}

/** Stops one proxy on the node's host; once none of the fault is left there, disarms its undo. */
export async function stopSshProxy(name: string, pid: number, faultId: string): Promise<boolean> {
  const state = requireClusterState();
  const { node } = recordedNode(name);
  const host = await hostOfNode(state, node);
  const [stopped = '0', remaining = '0'] = (await scriptAnswer(host, `stopping proxy ${pid}`, PROXY_STOP_SCRIPT, [tagArgument(proxyTag(faultId)), pid, 'exact'])).split(' ');
  if (remaining === '0') await disarm(state, host, proxyUndoId(faultId));
  return stopped !== '0';
}

/** Stops every faultline proxy on a host (heal --all, cluster down); returns how many. */
export async function sweepSshProxies(host: RemoteRunner): Promise<number> {
  const [stopped = '0'] = (await scriptAnswer(host, 'stopping proxies', PROXY_STOP_SCRIPT, [tagArgument(PROXY_TAG_PREFIX), '', 'prefix'])).split(' ');
  return Number(stopped);
}
