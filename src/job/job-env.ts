import { JOB_MARKER_ENV } from '../util/job-marker.js';
import type { JobSpec } from './job-spec.js';

/**
 * A parameter's variable: an underscore before each capital that starts a word, then upper case. `allowFail` ->
 * `FAULTLINE_PARAM_ALLOW_FAIL`, `p99Ms` -> `FAULTLINE_PARAM_P99_MS`, `maxHTTPRetries` -> `FAULTLINE_PARAM_MAX_HTTP_RETRIES`;
 * digits stay with the word before them (`top10` -> `TOP10`).
 */
export function paramEnvName(name: string): string {
  return `FAULTLINE_PARAM_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toUpperCase()}`;
}

function paramText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Where a job instance runs and what it may touch. */
export interface JobPlacement {
  readonly bootstrap: string;
  readonly stateDir: string;
  /** The value of the job marker: one per job instance of a run. */
  readonly marker: string;
}

/** The job's environment (docs/pipelines.md, "The job contract"), on top of PATH and HOME only. */
export function jobEnvironment(spec: JobSpec, placement: JobPlacement): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/root',
    [JOB_MARKER_ENV]: placement.marker,
    FAULTLINE_BOOTSTRAP: placement.bootstrap,
    FAULTLINE_INPUT_TOPIC: spec.inputTopic,
    FAULTLINE_OUTPUT_TOPIC: spec.outputTopic,
    FAULTLINE_DLQ_TOPIC: spec.dlqTopic,
    FAULTLINE_APP_ID: spec.appId,
    FAULTLINE_STATE_DIR: placement.stateDir,
    FAULTLINE_GUARANTEE: spec.guarantee,
    FAULTLINE_JOB_VERSION: spec.version,
    ...(spec.windowTopic !== undefined ? { FAULTLINE_WINDOW_TOPIC: spec.windowTopic } : {}),
  };
  for (const key of ['JAVA_HOME', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  for (const [name, value] of Object.entries(spec.params)) env[paramEnvName(name)] = paramText(value);
  return env;
}
