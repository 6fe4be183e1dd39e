import { parseJobFault, type JobFaultRequest } from '../job/job-fault.js';
import { validateJobParams, type JobParamValue } from '../job/job-spec.js';
import { checkTargetAgainst, type FaultContext } from '../nemesis/fault-validate.js';
import type { YamlField } from './yaml-field.js';

/**
 * A pipeline's job faults, read in order. A job-partition's `from` targets are checked against the cluster as
 * a broker fault's are. Each job-update's parameters merge over the job's as they stand then (as Job.update
 * does), and the merged set is checked as the job's own is: two names that become one variable (`maxHttp`,
 * `maxHTTP`) are refused at the update that adds the second.
 */
export class JobFaultReader {
  private params: Readonly<Record<string, JobParamValue>>;

  constructor(jobParams: Readonly<Record<string, JobParamValue>>, private readonly context: FaultContext) {
    this.params = jobParams;
  }

  read(field: YamlField): JobFaultRequest {
    const fault = field.readPlain(parseJobFault);
    if (fault.kind === 'job-partition') field.readPlain(() => fault.from?.forEach((target, i) => checkTargetAgainst(target, this.context, ['from', i])));
    if (fault.kind === 'job-update' && fault.params !== undefined) {
      const merged = { ...this.params, ...fault.params };
      field.readPlain(() => validateJobParams(merged, ['params']));
      this.params = merged;
    }
    return fault;
  }
}
