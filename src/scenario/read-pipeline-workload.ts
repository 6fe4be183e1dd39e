import { GUARANTEES, JOB_ENGINES, validateJobSpec, type JobParamValue, type JobSpec } from '../job/job-spec.js';
import { MAX_JOB_STATE_SIZE_MB, MIN_JOB_STATE_SIZE_MB } from '../job/state-mount.js';
import { topicNameProblem } from '../kafka/topic-name.js';
import type { PipelineJobSettings, PipelineScenarioWorkload, PipelineWindows } from './scenario.js';
import { checkWorkloadLimits } from './workload-limits.js';
import type { YamlField, YamlMapReader } from './yaml-field.js';

export const PIPELINE_WORKLOAD_KEYS = ['kind', 'count', 'fullCount', 'rateMsgsPerSec', 'fullRateMsgsPerSec', 'producers', 'keys', 'poisonEvery', 'job', 'outputTopic', 'dlqTopic', 'quietMs', 'maxWaitMs', 'windows'];
export const PIPELINE_WINDOWS_KEYS = ['sizeMs', 'latenessMs', 'lateEvery', 'lateByMs', 'topic'];
/** Bounds of a window and of a watermark's delay (a day). */
const MAX_WINDOW_MS = 86_400_000;
export const PIPELINE_JOB_KEYS = ['engine', 'command', 'guarantee', 'params', 'version', 'readyState', 'stateSizeMb'];
const DEFAULT_KEYS = 10;
const DEFAULT_QUIET_MS = 10_000;
const DEFAULT_MAX_WAIT_MS = 120_000;
/** The name the scenario's job gets (its namespace is fl-j1). */
const PIPELINE_JOB_NAME = 'j1';
/** The reference engines report their state; RUNNING means it is processing. */
const REFERENCE_READY_STATE = 'RUNNING';

function readParams(field: YamlField | undefined): Record<string, JobParamValue> {
  if (!field) return {};
  const map = field.map();
  const out: Record<string, JobParamValue> = {};
  for (const key of map.keys()) {
    const field = map.field(key);
    const value = field.readPlain((v) => v);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else field.fail('expected a string, number or boolean');
  }
  return out;
}

function readJob(field: YamlField): PipelineJobSettings {
  const map = field.map().only(PIPELINE_JOB_KEYS);
  const engine = map.required('engine').oneOf(JOB_ENGINES, 'job engine');
  const commandField = map.optional('command');
  const command = commandField?.list().map((item) => item.nonEmptyString());
  const readyState = map.optional('readyState')?.nonEmptyString() ?? (engine !== 'command' ? REFERENCE_READY_STATE : undefined);
  const stateSizeMb = map.optional('stateSizeMb')?.integer({ min: MIN_JOB_STATE_SIZE_MB, max: MAX_JOB_STATE_SIZE_MB });
  return {
    engine,
    ...(command !== undefined ? { command } : {}),
    guarantee: map.optional('guarantee')?.oneOf(GUARANTEES, 'guarantee') ?? 'at-least-once',
    params: readParams(map.optional('params')),
    version: map.optional('version')?.nonEmptyString() ?? 'v1',
    ...(readyState !== undefined ? { readyState } : {}),
    ...(stateSizeMb !== undefined ? { stateSizeMb } : {}),
  };
}

/** The output or dead-letter topic; a default name Kafka would refuse (too long) is reported at `kind`, naming the key. */
function readTopicName(map: YamlMapReader, key: string, fallback: string): string {
  const field = map.optional(key);
  const name = field?.string() ?? fallback;
  const problem = topicNameProblem(name);
  if (problem !== undefined) (field ?? map.field('kind')).fail(field ? problem : `the default ${key} ${problem}; give ${key}`);
  return name;
}

/** Input, output and dead-letter topics differ; a clash is reported at the key written that makes it. */
function checkTopicsDiffer(map: YamlMapReader, inputTopic: string, outputTopic: string, dlqTopic: string): void {
  const rule = 'input, output and dead-letter topics must differ';
  // A default name (<topic>-out, <topic>-dlq) never equals the input topic, so the key is given here.
  if (outputTopic === inputTopic) map.field('outputTopic').fail(`'${outputTopic}' is the input topic: ${rule}`);
  if (dlqTopic === inputTopic) map.field('dlqTopic').fail(`'${dlqTopic}' is the input topic: ${rule}`);
  if (dlqTopic !== outputTopic) return;
  if (map.has('dlqTopic')) map.field('dlqTopic').fail(`'${dlqTopic}' is the output topic: ${rule}`);
  map.field('outputTopic').fail(`'${outputTopic}' is the default dead-letter topic: ${rule} (give dlqTopic)`);
}

/** The `windows` section: only a job that computes windows (the spark engine, or a command job) takes one. */
function readWindows(field: YamlField, inputTopic: string, engine: string): PipelineWindows {
  const map = field.map().only(PIPELINE_WINDOWS_KEYS);
  if (engine === 'kafka-streams') field.fail("the kafka-streams reference job computes no windows; use engine 'spark' (or a command job)");
  const topicField = map.optional('topic');
  const topic = topicField?.string() ?? `${inputTopic}-windows`;
  const problem = topicNameProblem(topic);
  if (problem !== undefined) (topicField ?? field).fail(problem);
  return {
    topic,
    sizeMs: map.required('sizeMs').integer({ min: 1, max: MAX_WINDOW_MS }),
    latenessMs: map.required('latenessMs').integer({ min: 0, max: MAX_WINDOW_MS }),
    lateEvery: map.optional('lateEvery')?.integer({ min: 0 }) ?? 0,
    lateByMs: map.optional('lateByMs')?.integer({ min: 0, max: MAX_WINDOW_MS }) ?? 0,
  };
}

/** Reads a `kind: pipeline` workload; the job section is checked by the job's own validator, positioned. */
export function readPipelineWorkload(field: YamlField, map: YamlMapReader, inputTopic: string): PipelineScenarioWorkload {
  map.only(PIPELINE_WORKLOAD_KEYS);
  const count = map.required('count').integer({ min: 1 });
  const rateMsgsPerSec = map.required('rateMsgsPerSec').positiveNumber();
  const job = readJob(map.required('job'));
  const windowsField = map.optional('windows');
  const workload: PipelineScenarioWorkload = {
    kind: 'pipeline',
    count,
    fullCount: map.optional('fullCount')?.integer({ min: 1 }) ?? count,
    rateMsgsPerSec,
    fullRateMsgsPerSec: map.optional('fullRateMsgsPerSec')?.positiveNumber() ?? rateMsgsPerSec,
    producers: map.optional('producers')?.integer({ min: 1 }) ?? 1,
    keys: map.optional('keys')?.integer({ min: 1, max: 1_000_000 }) ?? DEFAULT_KEYS,
    poisonEvery: map.optional('poisonEvery')?.integer({ min: 0 }) ?? 0,
    job,
    outputTopic: readTopicName(map, 'outputTopic', `${inputTopic}-out`),
    dlqTopic: readTopicName(map, 'dlqTopic', `${inputTopic}-dlq`),
    quietMs: map.optional('quietMs')?.integer({ min: 100 }) ?? DEFAULT_QUIET_MS,
    maxWaitMs: map.optional('maxWaitMs')?.integer({ min: 1000 }) ?? DEFAULT_MAX_WAIT_MS,
    ...(windowsField !== undefined ? { windows: readWindows(windowsField, inputTopic, job.engine) } : {}),
  };
  checkWorkloadLimits(map, { ...workload, idempotent: true });
  checkTopicsDiffer(map, inputTopic, workload.outputTopic, workload.dlqTopic);
  field.readPlain(() => validateJobSpec(pipelineJobSpec(workload, inputTopic, 'check'), ['job']));
  return workload;
}

/** The job's parameters, with the window size and lateness of a `windows` section (windowMs, latenessMs). */
function windowParams(params: Readonly<Record<string, JobParamValue>>, windows: PipelineWindows | undefined): Readonly<Record<string, JobParamValue>> {
  return windows === undefined ? params : { ...params, windowMs: windows.sizeMs, latenessMs: windows.latenessMs };
}

/** The job spec a pipeline scenario runs (its app id made unique per run by the caller). */
export function pipelineJobSpec(workload: PipelineScenarioWorkload, inputTopic: string, appId: string): JobSpec {
  const { job } = workload;
  return {
    name: PIPELINE_JOB_NAME, engine: job.engine, ...(job.command !== undefined ? { command: job.command } : {}), params: windowParams(job.params, workload.windows), guarantee: job.guarantee,
    appId, version: job.version, inputTopic, outputTopic: workload.outputTopic, dlqTopic: workload.dlqTopic,
    ...(workload.windows !== undefined ? { windowTopic: workload.windows.topic } : {}),
    ...(job.stateSizeMb !== undefined ? { stateSizeMb: job.stateSizeMb } : {}),
  };
}
