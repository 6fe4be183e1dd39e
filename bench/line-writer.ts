import { writeSync } from 'node:fs';

/** Buffered line writer for a big file (the benchmarks' synthetic journals). */
export class Lines {
  private chunk: string[] = [];
  private chars = 0;
  lines = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}
  emit(line: string): void {
    this.chunk.push(line);
    this.chars += line.length + 1;
    this.lines++;
    if (this.chars >= 4 * 1024 * 1024) this.flush();
  }
  flush(): void {
    if (this.chunk.length === 0) return;
    const data = Buffer.from(this.chunk.join('\n') + '\n', 'utf8');
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done);
    this.bytes += data.length;
    this.chunk = [];
    this.chars = 0;
  }
}
