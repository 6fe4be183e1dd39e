import { rmSync } from 'node:fs';
import type { ClusterProvider } from '../cluster/provider.js';
import { sweepRules } from '../net/iptables.js';
import { stopDetachedProxy } from '../net/tcp-proxy-process.js';
import type { UndoAction } from './heal-registry.js';

function removeFile(path: string): string | undefined {
  try {
    rmSync(path);
    return `removed ${path}`;
  } catch {
    return undefined;
  }
}

async function resumeIfPaused(provider: ClusterProvider, name: string): Promise<string | undefined> {
  const node = await provider.observeNode(name);
  if (!node?.alive || (!node.paused && node.recorded !== 'paused')) return undefined;
  await provider.resumeNode(name);
  return `resumed ${name}`;
}

async function startIfDown(provider: ClusterProvider, name: string): Promise<string | undefined> {
  const node = await provider.observeNode(name);
  if (!node || node.alive) return undefined;
  await provider.startNode(name);
  return `started ${name}`;
}

function removedRules(removed: number): string | undefined {
  return removed > 0 ? `removed ${removed} iptables rules` : undefined;
}

/** Runs one undo action; node actions go through the provider. Returns what it did, undefined when nothing was left to do. */
export async function runUndo(action: UndoAction, provider: ClusterProvider): Promise<string | undefined> {
  switch (action.type) {
    case 'iptables-sweep':
      return removedRules(await sweepRules(action.namespaces, action.faultId || undefined));
    case 'rules-sweep':
      return removedRules(await provider.sweepRules(action.nodes, action.faultId || undefined));
    case 'resume-node':
      return resumeIfPaused(provider, action.node);
    case 'start-node':
      return startIfDown(provider, action.node);
    case 'kill-process':
      return stopDetachedProxy(action.pid, action.marker);
    case 'stop-proxy':
      return (await provider.stopProxy(action.node, action.pid, action.faultId)) ? `stopped the proxy ${action.pid} of ${action.node}` : undefined;
    case 'remove-file':
      return removeFile(action.path);
    case 'free-disk':
      return (await provider.freeDisk(action.node)) ? `removed the fill file of ${action.node}` : undefined;
  }
}
