import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every job process faultline starts carries `FAULTLINE_JOB_MARKER=<job id>` in its environment, and so do its
 * children: `cluster down` and `heal --all` find and stop jobs (and anything a job script started) by it, whatever
 * command line a black-box job has.
 */
export const JOB_MARKER_ENV = 'FAULTLINE_JOB_MARKER';

/** The marker's value in a process's environment, or undefined (no marker, or the process is gone). */
export function jobMarkerOf(pid: number): string | undefined {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    const prefix = `${JOB_MARKER_ENV}=`;
    const entry = environ.split('\0').find((e) => e.startsWith(prefix));
    return entry?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

/** Pids (other than ours) of job processes: all of them, or those of one job id. */
export function findJobProcesses(jobId?: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      if (pid === process.pid) return false;
      const marker = jobMarkerOf(pid);
      return marker !== undefined && (jobId === undefined || marker === jobId);
    });
}

/** A job marker is `<job name>-<pid of the faultline process that owns the job>`. */
export function jobMarker(jobName: string, ownerPid = process.pid): string {
  return `${jobName}-${ownerPid}`;
}

/** The owner's pid from a marker, or undefined when the marker is not one of ours. */
export function jobOwnerPid(marker: string): number | undefined {
  const match = /-(\d+)$/.exec(marker);
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}
