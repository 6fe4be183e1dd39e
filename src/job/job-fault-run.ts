import type { FaultEventSink } from '../history/active-run.js';
import type { JobControl, JobReadiness } from './job-control.js';
import { jobFaultRestarts, type JobFaultRequest } from './job-fault.js';
import { partitionJob } from './job-partition.js';

export interface FiredJobFault {
  readonly id: string;
  readonly kind: JobFaultRequest['kind'];
  /** Undoes the fault (start or resume the job); absent when there is nothing to undo. */
  readonly heal?: () => Promise<void>;
}

let fired = 0;

/**
 * Fires a job fault and journals it as the nemesis does (fault-start when in effect, fault-heal when undone), so
 * recovery times and reports treat it like a broker fault. `detail` says what happened (pid, exit, state dir).
 */
export async function fireJobFault(job: JobControl, request: JobFaultRequest, events: FaultEventSink, ready: JobReadiness, seed: number): Promise<FiredJobFault> {
  if (request.kind === 'job-partition') {
    const cut = await partitionJob(job, request.from, seed, events);
    return { id: cut.id, kind: request.kind, heal: cut.heal };
  }
  const id = `job-${++fired}`;
  const base = { faultId: id, fault: request.kind, target: 'job', node: job.name };
  if (request.kind === 'state-corrupt') return corruptAndRepair(job, request.path, { id, base, events, ready });
  if (request.kind === 'state-fill') return fillAndFree(job, { id, base, events, ready });
  const pid = job.pid;
  const detail = await act(job, request);
  events({ event: 'fault-start', ...base, detail: { pid: pid ?? null, ...detail } });
  if (request.kind === 'job-pause') {
    return { id, kind: request.kind, heal: async () => {
      job.resume();
      events({ event: 'fault-heal', ...base, detail: { resumed: true } });
      await Promise.resolve();
    } };
  }
  if (!jobFaultRestarts(request.kind)) return { id, kind: request.kind };
  return {
    id,
    kind: request.kind,
    heal: async () => {
      // A later job-update or cancel+recreate may have started the job already: then there is nothing to restart.
      if (job.running) {
        events({ event: 'fault-heal', ...base, detail: { restarted: false, pid: job.pid ?? null } });
        return;
      }
      const proc = await job.startAndWait(ready);
      events({ event: 'fault-heal', ...base, detail: { restarted: true, pid: proc.pid } });
    },
  };
}

interface FaultContext {
  readonly id: string;
  readonly base: { faultId: string; fault: string; target: string; node: string };
  readonly events: FaultEventSink;
  readonly ready: JobReadiness;
}

/**
 * state-corrupt: the job killed, its newest matching state file overwritten, and the job started again on it at once
 * (it fails on its own terms: its error is in its job-exit event and log). The heal is the repair: the file's bytes
 * written back, and the job started again (killed first if the broken one is still up).
 */
async function corruptAndRepair(job: JobControl, path: string | undefined, ctx: FaultContext): Promise<FiredJobFault> {
  const pid = job.pid;
  const exit = job.running ? await job.kill() : undefined;
  const state = job.corruptState(path);
  const broken = job.start();
  ctx.events({ event: 'fault-start', ...ctx.base, detail: { pid: pid ?? null, exit: exit ?? null, corrupted: state.corrupted, sizeBytes: state.sizeBytes, newPid: broken.pid } });
  return {
    id: ctx.id,
    kind: 'state-corrupt',
    heal: async () => {
      if (job.running) await job.kill();
      state.restore();
      const proc = await job.startAndWait(ctx.ready);
      ctx.events({ event: 'fault-heal', ...ctx.base, detail: { repaired: state.corrupted, restarted: true, pid: proc.pid } });
    },
  };
}

/**
 * state-fill: the job's state mount filled while it runs; the job meets ENOSPC at its next checkpoint or state write
 * and fails (or not) on its own terms. The heal frees the mount and starts the job again if it is down.
 */
async function fillAndFree(job: JobControl, ctx: FaultContext): Promise<FiredJobFault> {
  const pid = job.pid;
  const filled = await job.fillState();
  ctx.events({ event: 'fault-start', ...ctx.base, detail: { pid: pid ?? null, filled: filled.path, filledBytes: filled.filledBytes, freeBytesAfter: filled.freeBytesAfter } });
  return {
    id: ctx.id,
    kind: 'state-fill',
    heal: async () => {
      const freed = filled.free();
      const wasRunning = job.running;
      const proc = wasRunning ? undefined : await job.startAndWait(ctx.ready);
      ctx.events({ event: 'fault-heal', ...ctx.base, detail: { freed, restarted: !wasRunning, pid: proc?.pid ?? job.pid ?? null } });
    },
  };
}

async function act(job: JobControl, request: Exclude<JobFaultRequest, { kind: 'job-partition' | 'state-corrupt' | 'state-fill' }>): Promise<Record<string, unknown>> {
  switch (request.kind) {
    case 'job-kill':
      return { exit: await job.kill() ?? null };
    case 'job-terminate':
      return { exit: await job.terminate() ?? null };
    case 'job-pause':
      job.pause();
      return {};
    case 'state-delete': {
      const exit = job.running ? await job.kill() : undefined;
      return { exit: exit ?? null, removed: job.deleteState() };
    }
    case 'job-update': {
      const proc = await job.update({ ...(request.params ? { params: request.params } : {}), ...(request.version !== undefined ? { version: request.version } : {}) });
      return { newPid: proc.pid, params: { ...job.spec.params }, version: job.spec.version };
    }
    case 'job-cancel-recreate': {
      const proc = await job.cancelRecreate();
      return { newPid: proc.pid, appId: job.spec.appId };
    }
  }
}
