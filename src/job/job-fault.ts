import { FieldError } from '../errors.js';
import { validateJobParams, type JobParamValue } from './job-spec.js';
import { readNodes } from '../nemesis/fault-parse.js';
import type { Target } from '../nemesis/target.js';
import { PlainField } from '../util/plain-fields.js';

/**
 * Faults on a pipeline job (docs/pipelines.md, "Faults on jobs"). Each acts on the scenario's job (`target: job`,
 * the default). Heal: a killed, terminated or state-deleted job is started again (same app id), a paused one
 * resumed, a partitioned one reconnected, a filled state mount freed (and the job started again if it died of it); an update or a cancel+recreate is done when it fires and has nothing to heal.
 */
export type JobFaultRequest =
  | { readonly kind: 'job-kill' | 'job-terminate' | 'job-pause' | 'job-cancel-recreate' | 'state-delete'; readonly target: 'job' }
  /** The job's state storage (its tmpfs) filled while the job runs. */
  | { readonly kind: 'state-fill'; readonly target: 'job' }
  /** The newest file of the job's state directory whose path contains `path` (any file when absent) overwritten. */
  | { readonly kind: 'state-corrupt'; readonly target: 'job'; readonly path?: string }
  | { readonly kind: 'job-update'; readonly target: 'job'; readonly params?: Readonly<Record<string, JobParamValue>>; readonly version?: string }
  /** The job cut from brokers (all, or the nodes `from` names when it fires): the link between a job and its cluster. */
  | { readonly kind: 'job-partition'; readonly target: 'job'; readonly from?: readonly Target[] };

export const JOB_FAULT_KINDS = ['job-kill', 'job-terminate', 'job-pause', 'job-update', 'job-cancel-recreate', 'state-delete', 'state-corrupt', 'state-fill', 'job-partition'] as const;
export type JobFaultKind = (typeof JOB_FAULT_KINDS)[number];

export function isJobFaultKind(kind: unknown): kind is JobFaultKind {
  return typeof kind === 'string' && (JOB_FAULT_KINDS as readonly string[]).includes(kind);
}

/** A job fault rather than a broker fault (both share `kind`). */
export function isJobFaultRequest(request: { readonly kind: string }): request is JobFaultRequest {
  return isJobFaultKind(request.kind);
}

/** An update or a cancel+recreate: done when it fires, nothing to heal (healAfterMs is refused on it). */
export function jobFaultIsDoneWhenFired(kind: JobFaultKind): boolean {
  return kind === 'job-update' || kind === 'job-cancel-recreate';
}

/** Whether healing the fault means starting the job again (it is down until then). */
export function jobFaultRestarts(kind: JobFaultKind): boolean {
  return kind === 'job-kill' || kind === 'job-terminate' || kind === 'state-delete' || kind === 'state-corrupt';
}

/** Whether the job runs as a new process after the fault: started by its heal, or by the fault itself (job-update, job-cancel-recreate). */
export function jobFaultReplacesProcess(kind: JobFaultKind): boolean {
  return kind !== 'job-pause';
}

/** The keys each kind takes besides `kind` and `target`. */
export const JOB_FAULT_KEYS: Readonly<Record<JobFaultKind, readonly string[]>> = {
  'job-kill': [],
  'job-terminate': [],
  'job-pause': [],
  'job-update': ['params', 'version'],
  'job-cancel-recreate': [],
  'state-delete': [],
  'state-corrupt': ['path'],
  'state-fill': [],
  'job-partition': ['from'],
};

/** A job-update's parameters: the job's own rules (names, values), and at least one (an empty update changes nothing). */
function readParams(value: unknown): Record<string, JobParamValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError(['params'], 'expected a mapping of parameter names to values');
  if (Object.keys(value).length === 0) throw new FieldError(['params'], 'expected at least one parameter (or leave params out)');
  validateJobParams(value as Record<string, unknown>, ['params']);
  return { ...(value as Record<string, JobParamValue>) };
}

/** `from`: one target or a list, read as a partition's node list (`from: [n1, 2]`), resolved when the fault fires. */
function readFrom(value: unknown): Target[] {
  return readNodes(new PlainField(value, ['from']));
}

/** `path`: a part of a path under the state directory (`offsets/`, `state/0/`), not empty, no `..`. */
function readPathFilter(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.includes('..') || value.length > MAX_PATH_FILTER_CHARS) {
    throw new FieldError(['path'], `expected a part of a path under the job's state directory (1-${MAX_PATH_FILTER_CHARS} characters, no '..'), e.g. offsets/`);
  }
  return value;
}

const MAX_PATH_FILTER_CHARS = 200;

/** Parses a job fault from plain data (YAML or JSON); errors name the field. */
export function parseJobFault(value: unknown): JobFaultRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError([], 'expected a mapping with kind');
  const o = value as Record<string, unknown>;
  const kind = o['kind'];
  if (!isJobFaultKind(kind)) throw new FieldError(['kind'], `expected one of ${JOB_FAULT_KINDS.join(', ')}, got '${String(kind)}'`);
  const allowed = ['kind', 'target', ...JOB_FAULT_KEYS[kind]];
  for (const key of Object.keys(o)) if (!allowed.includes(key)) throw new FieldError([key], `unknown key for ${kind}; keys: ${allowed.join(', ')}`, true);
  if (o['target'] !== undefined && o['target'] !== 'job') throw new FieldError(['target'], `a job fault acts on the scenario's job: expected 'job', got ${JSON.stringify(o['target'])}`);
  if (kind === 'job-partition') return { kind, target: 'job', ...(o['from'] !== undefined ? { from: readFrom(o['from']) } : {}) };
  if (kind === 'state-corrupt') return { kind, target: 'job', ...(o['path'] !== undefined ? { path: readPathFilter(o['path']) } : {}) };
  if (kind === 'state-fill') return { kind, target: 'job' };
  if (kind !== 'job-update') return { kind, target: 'job' };
  const version = o['version'];
  if (version !== undefined && (typeof version !== 'string' || version.length === 0)) throw new FieldError(['version'], 'expected a non-empty string');
  if (o['params'] === undefined && version === undefined) throw new FieldError([], 'job-update needs params or version (what the update changes)');
  return { kind, target: 'job', ...(o['params'] !== undefined ? { params: readParams(o['params']) } : {}), ...(typeof version === 'string' ? { version } : {}) };
}
