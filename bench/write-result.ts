import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/** Writes one benchmark's numbers with the machine and date to bench/results/<name>.json and prints them. */
export function writeBenchResult(name: string, result: Record<string, unknown>): void {
  const record = {
    benchmark: name,
    date: new Date().toISOString(),
    // The 1-minute load average when the numbers were written: other work on the machine shows in them.
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
    ...result,
  };
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`${name}: ${JSON.stringify(result)}\n`);
}
