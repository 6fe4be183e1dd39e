import { spawn } from 'node:child_process';
import { closingClientCount } from './client-connect.js';

/** Seconds an exiting process whose Kafka clients are still closing gets before a watchdog kills it. */
const EXIT_WATCHDOG_S = 10;

/**
 * Exits with `code`. Node's exit joins libuv's thread pool, and a librdkafka close that never returns (the destroy of
 * a transactional producer whose coordinator was killed) holds one of its threads: the exit would block for good.
 * When clients are still closing, a detached watchdog kills the process EXIT_WATCHDOG_S later if it is still there
 * (exit status 137 then, and the warning on stderr says why).
 */
export function exitProcess(code: number, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): never {
  const closing = closingClientCount();
  if (closing > 0) {
    warn(`faultline: ${closing} Kafka client(s) still closing; if exit blocks on them the process is killed in ${EXIT_WATCHDOG_S} s`);
    const pid = String(process.pid);
    spawn('sh', ['-c', `sleep ${EXIT_WATCHDOG_S}; [ -d /proc/${pid} ] && kill -9 ${pid}`], { detached: true, stdio: 'ignore' }).unref();
  }
  process.exit(code);
}
