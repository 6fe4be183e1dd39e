/**
 * The CLI's one interruption signal: main.ts aborts it on SIGINT or SIGTERM. A command passes
 * `interruptSignal()` to the library calls that take a `signal`; they stop, clean up and throw an error with
 * exit code 130. A command that never asks for the signal is not waiting for it: main exits at once.
 */
const controller = new AbortController();
let listened = false;

/** The process-wide interruption signal; asking for it promises to stop soon after it fires. */
export function interruptSignal(): AbortSignal {
  listened = true;
  return controller.signal;
}

/** True once SIGINT or SIGTERM arrived. */
export function wasInterrupted(): boolean {
  return controller.signal.aborted;
}

/**
 * Fires the signal. Returns true when a command listens and this is the first interruption (main lets the
 * command clean up), false when main should exit now (nobody listens, or a second Ctrl-C).
 */
export function interrupt(): boolean {
  const letCommandFinish = listened && !controller.signal.aborted;
  controller.abort();
  return letCommandFinish;
}
