import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** Writes one benchmark's numbers with the machine and date to bench/results/<name>.json and prints them. */
export function writeBenchResult(name: string, result: Record<string, unknown>): void {
  const record = {
    benchmark: name,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    ...result,
  };
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`${name}: ${JSON.stringify(result)}\n`);
}
