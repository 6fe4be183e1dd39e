/** State and transition coverage per machine type (and monitor), summed over the runs of a check. */

export interface CoverageEntry {
  readonly kind: 'machine' | 'monitor';
  readonly name: string;
  readonly states: readonly string[];
  /** Visits per state index. */
  readonly stateVisits: Uint32Array;
  /** Transition counts, index from * states.length + to. */
  readonly transitions: Uint32Array;
}

export interface CoverageSummary {
  readonly kind: 'machine' | 'monitor';
  readonly name: string;
  readonly statesCovered: number;
  readonly statesTotal: number;
  readonly states: Record<string, number>;
  readonly transitions: Record<string, number>;
  readonly unvisited: readonly string[];
}

export class Coverage {
  private readonly byName = new Map<string, CoverageEntry>();
  private readonly byKey = new Map<object, CoverageEntry>();

  /** Fast lookup by an identity key (the compiled definition). */
  entryFor(key: object, kind: 'machine' | 'monitor', name: string, states: readonly { readonly name: string }[]): CoverageEntry {
    let e = this.byKey.get(key);
    if (e === undefined) {
      e = this.entry(kind, name, states.map((s) => s.name));
      this.byKey.set(key, e);
    }
    return e;
  }

  entry(kind: 'machine' | 'monitor', name: string, states: readonly string[]): CoverageEntry {
    const key = `${kind}:${name}`;
    let e = this.byName.get(key);
    if (e === undefined) {
      e = { kind, name, states, stateVisits: new Uint32Array(states.length), transitions: new Uint32Array(states.length * states.length) };
      this.byName.set(key, e);
    }
    return e;
  }

  /** The raw counts (a worker of a parallel check sends them to be merged). */
  entries(): CoverageEntry[] {
    return [...this.byName.values()];
  }

  /** Adds another check's counts (from `entries()`) to these. */
  absorb(entries: readonly CoverageEntry[]): void {
    for (const other of entries) {
      const e = this.entry(other.kind, other.name, other.states);
      addCounts(e.stateVisits, other.stateVisits);
      addCounts(e.transitions, other.transitions);
    }
  }

  summary(): CoverageSummary[] {
    const out: CoverageSummary[] = [];
    for (const e of this.byName.values()) {
      const states: Record<string, number> = {};
      const unvisited: string[] = [];
      let covered = 0;
      e.states.forEach((s, i) => {
        const n = e.stateVisits[i] ?? 0;
        states[s] = n;
        if (n > 0) covered++;
        else unvisited.push(s);
      });
      const transitions: Record<string, number> = {};
      const n = e.states.length;
      for (let i = 0; i < e.transitions.length; i++) {
        const c = e.transitions[i] ?? 0;
        if (c > 0) transitions[`${e.states[Math.floor(i / n)]} -> ${e.states[i % n]}`] = c;
      }
      out.push({ kind: e.kind, name: e.name, statesCovered: covered, statesTotal: n, states, transitions, unvisited });
    }
    return out.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'machine' ? -1 : 1));
  }
}

function addCounts(into: Uint32Array, from: Uint32Array): void {
  const n = Math.min(into.length, from.length);
  for (let i = 0; i < n; i++) into[i] = (into[i] as number) + (from[i] as number);
}

/** Text table of a coverage summary. */
export function formatCoverage(summary: readonly CoverageSummary[]): string {
  const lines: string[] = [];
  for (const c of summary) {
    const pct = c.statesTotal === 0 ? 100 : Math.round((100 * c.statesCovered) / c.statesTotal);
    lines.push(`${c.kind} ${c.name}: states ${c.statesCovered}/${c.statesTotal} (${pct}%), transitions ${Object.keys(c.transitions).length}`);
    for (const [t, n] of Object.entries(c.transitions)) lines.push(`    ${t}  x${n}`);
    if (c.unvisited.length > 0) lines.push(`    never visited: ${c.unvisited.join(', ')}`);
  }
  return lines.join('\n');
}
