import type { PipelineCase, PipelineFinding, PipelineFindingName } from './pipeline-verdict.js';

/** Counts every finding exactly and keeps its first `maxListed` cases. */
export class PipelineFindings {
  private readonly found = new Map<PipelineFindingName, { count: number; cases: PipelineCase[] }>();

  constructor(private readonly maxListed: number) {}

  /** Counts one; `makeCase` is called only while the list has room. */
  note(name: PipelineFindingName, makeCase: () => PipelineCase, count = 1): void {
    let f = this.found.get(name);
    if (f === undefined) {
      f = { count: 0, cases: [] };
      this.found.set(name, f);
    }
    f.count += count;
    if (f.cases.length < this.maxListed) f.cases.push(makeCase());
  }

  /** Counts `n` more without listing them (their cases are listed by `note` calls). */
  noteCount(name: PipelineFindingName, n: number): void {
    const f = this.found.get(name);
    if (f !== undefined) f.count += n;
    else if (n > 0) this.found.set(name, { count: n, cases: [] });
  }

  /** A copy to add more to (the findings made while reading stay as they are). */
  clone(): PipelineFindings {
    const copy = new PipelineFindings(this.maxListed);
    for (const [name, f] of this.found) copy.found.set(name, { count: f.count, cases: [...f.cases] });
    return copy;
  }

  /** The findings with their severity. */
  result(severity: (name: PipelineFindingName) => PipelineFinding['severity']): Partial<Record<PipelineFindingName, PipelineFinding>> {
    const out: Partial<Record<PipelineFindingName, PipelineFinding>> = {};
    for (const [name, f] of this.found) out[name] = { count: f.count, severity: severity(name), cases: [...f.cases] };
    return out;
  }
}
