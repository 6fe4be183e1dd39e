import { EXIT_INTERRUPTED, FaultlineError } from '../errors.js';

/** The error a library call throws when its AbortSignal fired: exit code EXIT_INTERRUPTED (130, as for Ctrl-C). */
export function interruptedError(what: string, detail?: string): FaultlineError {
  return new FaultlineError(`${what} was interrupted${detail ? `; ${detail}` : ''}`, EXIT_INTERRUPTED);
}

/** Throws interruptedError(what) once `signal` has fired; a no-op without a signal. */
export function throwIfInterrupted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw interruptedError(what);
}
