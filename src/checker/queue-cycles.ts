import { DependencyGraph, E_PROCESS, E_REALTIME, E_WR, E_WW } from './queue-graph.js';
import type { QueueFindings } from './queue-findings.js';
import type { QueueAnomalyName, QueueCycleEdge, QueueEdgeType } from './queue-verdict.js';

/** Candidate key edges tried per strongly connected component, for a shortest cycle. */
const MAX_CANDIDATES = 8;
const EDGE_NAMES: readonly QueueEdgeType[] = ['ww', 'wr', 'process', 'realtime'];

/** Searched in this order; a cycle over the same ops is reported once, under the first name it gets. */
const LEVELS: readonly { mask: number; key: number }[] = [
  // Information flow without write order first: a cycle of these has no ww edge (see queue-policy.ts).
  { mask: 1 << E_WR, key: E_WR },
  { mask: (1 << E_WR) | (1 << E_PROCESS), key: E_PROCESS },
  { mask: (1 << E_WR) | (1 << E_REALTIME), key: E_REALTIME },
  { mask: 1 << E_WW, key: E_WW },
  { mask: (1 << E_WW) | (1 << E_WR), key: E_WR },
  { mask: (1 << E_WW) | (1 << E_PROCESS), key: E_PROCESS },
  { mask: (1 << E_WW) | (1 << E_WR) | (1 << E_PROCESS), key: E_PROCESS },
  { mask: (1 << E_WW) | (1 << E_REALTIME), key: E_REALTIME },
  { mask: (1 << E_WW) | (1 << E_WR) | (1 << E_REALTIME), key: E_REALTIME },
];

/**
 * G0 / G1c and their process and realtime variants: for each edge set, Tarjan's strongly connected
 * components (iterative, typed arrays), then per component a shortest cycle through one of its key edges
 * (breadth-first from the edge's head back to its tail, inside the component), reported with its edges.
 */
export function findCycles(g: DependencyGraph, findings: QueueFindings): void {
  const seen = new Set<string>();
  const bfs = new Bfs(g.nodeCount);
  for (const level of LEVELS) {
    const comp = tarjan(g, level.mask);
    const keyEdges = new Map<number, number[]>();
    for (let e = 0; e < g.edgeCount; e++) {
      if (g.type[e] !== level.key) continue;
      const c = comp[g.from[e] as number] as number;
      if (c < 0 || c !== comp[g.to[e] as number]) continue;
      let list = keyEdges.get(c);
      if (list === undefined) keyEdges.set(c, (list = []));
      if (list.length < MAX_CANDIDATES) list.push(e);
    }
    for (const [c, edges] of keyEdges) {
      const cycles: number[][] = [];
      for (const e of edges) {
        const path = bfs.path(g, g.to[e] as number, g.from[e] as number, level.mask, comp, c);
        if (path !== null) cycles.push([...path, e]);
      }
      // The shortest new one: a component can hold a cycle reported at an earlier level and, apart from it, one
      // that needs this level's edges (two groups of transactions joined by real-time order, say).
      cycles.sort((a, b) => a.length - b.length);
      cycles.some((cycle) => report(g, cycle, seen, findings));
    }
  }
}

/** Component id per node for the edges in `mask`; -1 for nodes in no cycle (a component of one). */
function tarjan(g: DependencyGraph, mask: number): Int32Array {
  const n = g.nodeCount;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  let sp = 0;
  let next = 0;
  let comps = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = g.rowStart[root] as number;
    index[root] = low[root] = next++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth] as number;
      const e = callEdge[depth] as number;
      if (e < (g.rowStart[v + 1] as number)) {
        callEdge[depth] = e + 1;
        const edge = g.edgeOrder[e] as number;
        if (((1 << (g.type[edge] as number)) & mask) === 0) continue;
        const w = g.to[edge] as number;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[++depth] = w;
          callEdge[depth] = g.rowStart[w] as number;
        } else if (onStack[w] === 1 && (index[w] as number) < (low[v] as number)) low[v] = index[w] as number;
        continue;
      }
      if (low[v] === index[v]) {
        let size = 0;
        let w: number;
        do {
          w = stack[--sp] as number;
          onStack[w] = 0;
          comp[w] = comps;
          size++;
        } while (w !== v);
        if (size === 1) comp[v] = -1;
        comps++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
    }
  }
  return comp;
}

/** Breadth-first search reusing its arrays (a generation stamp instead of clearing). */
class Bfs {
  private readonly stamp: Int32Array;
  private readonly via: Int32Array;
  private readonly queue: Int32Array;
  private generation = 0;

  constructor(n: number) {
    this.stamp = new Int32Array(n);
    this.via = new Int32Array(n);
    this.queue = new Int32Array(n);
  }

  /** Edge ids of a shortest path from `source` to `target` inside component `c`, or null. */
  path(g: DependencyGraph, source: number, target: number, mask: number, comp: Int32Array, c: number): number[] | null {
    const gen = ++this.generation;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = source;
    this.stamp[source] = gen;
    this.via[source] = -1;
    while (head < tail) {
      const v = this.queue[head++] as number;
      if (v === target) return this.unwind(g, target);
      for (let i = g.rowStart[v] as number; i < (g.rowStart[v + 1] as number); i++) {
        const e = g.edgeOrder[i] as number;
        const w = g.to[e] as number;
        if (((1 << (g.type[e] as number)) & mask) === 0 || this.stamp[w] === gen || comp[w] !== c) continue;
        this.stamp[w] = gen;
        this.via[w] = e;
        this.queue[tail++] = w;
      }
    }
    return null;
  }

  private unwind(g: DependencyGraph, target: number): number[] {
    const edges: number[] = [];
    for (let v = target; this.via[v] !== -1; v = g.from[this.via[v] as number] as number) edges.push(this.via[v] as number);
    return edges.reverse();
  }
}

/**
 * Collapses barrier hops into one realtime edge and runs of order edges into one (see `orderChains`), names the
 * cycle by its edges, reports it once: false when a cycle over the same ops was reported before.
 */
function report(g: DependencyGraph, found: number[], seen: Set<string>, findings: QueueFindings): boolean {
  // Start at an op, so every barrier hop has the op it left from.
  const first = found.findIndex((e) => g.isOp(g.from[e] as number));
  const cycle = [...found.slice(first), ...found.slice(0, first)];
  const edges: QueueCycleEdge[] = [];
  let from = -1;
  for (const e of cycle) {
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    if (g.isOp(a)) from = a;
    if (!g.isOp(b)) continue;
    const type = EDGE_NAMES[g.type[e] as number] ?? 'ww';
    const edge: QueueCycleEdge = { from, to: b, type };
    if (type === 'ww' || type === 'wr') {
      edge.partition = findings.partitionRef(g.pid[e] as number);
      edge.value = g.h.vValue[g.vid[e] as number];
    }
    edges.push(edge);
  }
  return reportEdges(orderChains(edges), seen, findings);
}

/** Edges whose runs are one edge of the same kind: A -> X -> B in real time (or in one process) is A -> B. */
const ORDER_EDGES: readonly QueueEdgeType[] = ['realtime', 'process'];

/**
 * The cycle with each run of realtime (or process) edges made one edge: the ops inside a run are a detour
 * (the shortest path by hops may pass through an op where a barrier chain is longer), and leaving them in
 * would make the same cycle look new to `seen`.
 */
function orderChains(edges: QueueCycleEdge[]): QueueCycleEdge[] {
  const n = edges.length;
  const continues = (i: number): boolean => {
    const e = edges[i] as QueueCycleEdge;
    return ORDER_EDGES.includes(e.type) && edges[(i + n - 1) % n]?.type === e.type;
  };
  let start = 0;
  while (start < n && continues(start)) start++;
  if (start === n) return edges;
  const out: QueueCycleEdge[] = [];
  for (let i = 0; i < n; i++) {
    const at = (start + i) % n;
    const last = out[out.length - 1];
    if (last !== undefined && continues(at)) last.to = (edges[at] as QueueCycleEdge).to;
    else out.push({ ...(edges[at] as QueueCycleEdge) });
  }
  return out;
}

function reportEdges(edges: QueueCycleEdge[], seen: Set<string>, findings: QueueFindings): boolean {
  const ops = edges.map((e) => e.from);
  const key = [...ops].sort((a, b) => a - b).join(',');
  if (seen.has(key)) return false;
  seen.add(key);
  const types = new Set(edges.map((e) => e.type));
  const base = types.has('wr') ? 'G1c' : 'G0';
  const name = (types.has('realtime') ? `${base}-realtime` : types.has('process') ? `${base}-process` : base) as QueueAnomalyName;
  if (findings.note(name)) findings.list({ anomaly: name, detail: `cycle of ${edges.length} edges: ${edges.map((e) => `op ${e.from} -${e.type}${e.value === undefined ? '' : ` ${e.value}`}-> op ${e.to}`).join(', ')}`, edges, ops: findings.opRefs(...ops) });
  return true;
}
