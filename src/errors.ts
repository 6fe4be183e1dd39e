/**
 * Errors a user can act on. The CLI prints `message` alone (no stack) and exits with `exitCode`.
 * Exit codes: 0 ok, 1 a check found a violation (anomalies, a model violation), 2 bad input or usage,
 * 3 the environment failed (a node did not start, Maven unreachable, not root), 130 interrupted (Ctrl-C, SIGTERM).
 */
export class FaultlineError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 3) {
    super(message);
    this.name = 'FaultlineError';
    this.exitCode = exitCode;
  }
}

/** Bad input: a malformed file, an unknown name, a number out of range. Exit code 2. */
export class UsageError extends FaultlineError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_ENVIRONMENT = 3;
export const EXIT_INTERRUPTED = 130;

/** Where a bad value sits in plain data: keys and list indexes, e.g. ['groups', 1, 0]. */
export type FieldPath = readonly (string | number)[];

/** `groups[1][0]`, `flaky.upMs`; '(top level)' for the empty path. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(top level)' : out;
}

/**
 * Bad input at one field of plain data (a fault, a workload): the message is `<field>: <reason>`. The YAML
 * loader turns `path` into a file position; the CLI into the matching flag.
 */
export class FieldError extends UsageError {
  readonly path: FieldPath;
  readonly reason: string;
  /** The problem is the key itself (an unknown key), not its value. */
  readonly atKey: boolean;
  constructor(path: FieldPath, reason: string, atKey = false) {
    super(`${formatFieldPath(path)}: ${reason}`);
    this.name = 'FieldError';
    this.path = path;
    this.reason = reason;
    this.atKey = atKey;
  }
}
