import { FieldError } from '../errors.js';
import { PIPELINE_GUARANTEES, type PipelineGuarantee } from '../history/pipeline-meta.js';
import { paramEnvName } from './job-env.js';
import { MAX_JOB_STATE_SIZE_MB, MIN_JOB_STATE_SIZE_MB } from './state-mount.js';

/** What a job promises about its output: every input at least once, or exactly once (as the journal's meta says it). */
export type Guarantee = PipelineGuarantee;
export const GUARANTEES: readonly Guarantee[] = PIPELINE_GUARANTEES;

/**
 * `kafka-streams`: the Kafka Streams reference job (jobs/kafka-streams); `spark`: the Spark Structured Streaming
 * reference job (jobs/spark-streaming); `command`: any command line (a black-box job).
 */
export type JobEngine = 'kafka-streams' | 'spark' | 'command';
export const JOB_ENGINES: readonly JobEngine[] = ['kafka-streams', 'spark', 'command'];

/** Whether an engine's reference job prints a FAULTLINE-PROGRESS line per completed batch (the Spark job does). */
export function engineReportsBatches(engine: JobEngine): boolean {
  return engine === 'spark';
}

/** Whether an engine keeps its input progress in a consumer group (Kafka Streams, a command job) rather than only in its own checkpoint (Spark). */
export function engineCommitsGroupOffsets(engine: JobEngine): boolean {
  return engine !== 'spark';
}

/** A parameter's value as the job sees it: text in `FAULTLINE_PARAM_<NAME>`. */
export type JobParamValue = string | number | boolean;

/** One job under test, as plain data (docs/pipelines.md, "The job contract"). */
export interface JobSpec {
  /** Short name: the namespace is fl-<name>, events and logs name it. */
  readonly name: string;
  readonly engine: JobEngine;
  /** The command line of a `command` job (argv; no shell unless you name one). */
  readonly command?: readonly string[];
  readonly params: Readonly<Record<string, JobParamValue>>;
  readonly guarantee: Guarantee;
  /** Consumer group / application.id / transactional id prefix. */
  readonly appId: string;
  readonly version: string;
  readonly inputTopic: string;
  readonly outputTopic: string;
  readonly dlqTopic: string;
  /** Where window results go (FAULTLINE_WINDOW_TOPIC); only for a job that writes windows. */
  readonly windowTopic?: string;
  /** The size of the tmpfs the job's state directories live on (DEFAULT_JOB_STATE_SIZE_MB when absent). */
  readonly stateSizeMb?: number;
}

/** Job names: a namespace and veth name must fit 15 bytes with their prefixes. */
const JOB_NAME = /^j[a-z0-9]{0,7}$/;
const PARAM_NAME = /^[a-z][A-Za-z0-9]*$/;
const APP_ID = /^[A-Za-z0-9._-]{1,120}$/;

/** Checks a spec; every error names its field (`job.command`, `job.params.allowFail`). */
export function validateJobSpec(spec: JobSpec, path: readonly (string | number)[] = ['job']): void {
  if (!JOB_NAME.test(spec.name)) throw new FieldError([...path, 'name'], `expected 'j' and up to 7 lowercase letters or digits (it names the job's network namespace), got '${spec.name}'`);
  if (!JOB_ENGINES.includes(spec.engine)) throw new FieldError([...path, 'engine'], `unknown engine '${spec.engine as string}'; engines: ${JOB_ENGINES.join(', ')}`);
  if (spec.engine === 'command' && (spec.command === undefined || spec.command.length === 0 || spec.command.some((a) => typeof a !== 'string' || a.length === 0))) {
    throw new FieldError([...path, 'command'], 'a command job needs a non-empty list of non-empty arguments, e.g. [python3, my_job.py]');
  }
  if (spec.engine !== 'command' && spec.command !== undefined) throw new FieldError([...path, 'command'], `only a 'command' job takes a command; engine '${spec.engine}' runs its own`);
  if (!GUARANTEES.includes(spec.guarantee)) throw new FieldError([...path, 'guarantee'], `expected one of ${GUARANTEES.join(', ')}, got '${spec.guarantee as string}'`);
  if (!APP_ID.test(spec.appId)) throw new FieldError([...path, 'appId'], `expected 1-120 letters, digits, '.', '_' or '-', got '${spec.appId}'`);
  validateJobParams(spec.params, [...path, 'params']);
  const sizeMb = spec.stateSizeMb;
  if (sizeMb !== undefined && (!Number.isInteger(sizeMb) || sizeMb < MIN_JOB_STATE_SIZE_MB || sizeMb > MAX_JOB_STATE_SIZE_MB)) {
    throw new FieldError([...path, 'stateSizeMb'], `expected a whole number of MB from ${MIN_JOB_STATE_SIZE_MB} to ${MAX_JOB_STATE_SIZE_MB}, got ${sizeMb}`);
  }
  const topics = [spec.inputTopic, spec.outputTopic, spec.dlqTopic, ...(spec.windowTopic !== undefined ? [spec.windowTopic] : [])];
  if (new Set(topics).size !== topics.length) throw new FieldError([...path], `input, output, dead-letter (and window) topics must differ, got ${topics.join(', ')}`);
}

/** Why a parameter's value cannot be passed to a job, or undefined when it can. */
function paramValueProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return `expected a finite number, got ${value}`;
  if (!['string', 'number', 'boolean'].includes(typeof value)) return 'expected a string, number or boolean';
  return undefined;
}

/**
 * Checks a job's parameters (or a job-update's): names, values, and no two names for one variable. Errors name
 * the parameter (a name's problem is the key's, for the loader's position).
 */
export function validateJobParams(params: Readonly<Record<string, unknown>>, path: readonly (string | number)[]): void {
  const byVariable = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (!PARAM_NAME.test(name)) throw new FieldError([...path, name], 'parameter names are camelCase (they become FAULTLINE_PARAM_<UPPER_SNAKE>)', true);
    const problem = paramValueProblem(value);
    if (problem !== undefined) throw new FieldError([...path, name], problem);
    const variable = paramEnvName(name);
    const other = byVariable.get(variable);
    if (other !== undefined) throw new FieldError([...path, name], `becomes ${variable}, as '${other}' does: one of them would be lost`, true);
    byVariable.set(variable, name);
  }
}
