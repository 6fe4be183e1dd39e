/** Prints a result as JSON (machine) or through `human` (person); JSON goes to stdout alone. */
export function printResult<T>(json: boolean | undefined, value: T, human: (value: T) => string): void {
  if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else process.stdout.write(human(value).replace(/\n?$/, '\n'));
}

/** Progress goes to stderr so stdout stays parseable. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Renders rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] ?? []), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}
