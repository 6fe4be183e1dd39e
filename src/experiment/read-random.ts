import { FieldError } from '../errors.js';
import { parseFault } from '../nemesis/fault-parse.js';
import { MAX_SEED } from '../scenario/read-scenario.js';
import { checkFaultAgainst, type FaultContext } from '../nemesis/fault-validate.js';
import type { YamlField } from '../scenario/yaml-field.js';
import type { FaultTemplate, RandomScheduleSpec } from './experiment.js';
import { MAX_RANDOM_FOR_MS, MIN_RANDOM_INTERVAL_MS } from './experiment-limits.js';
import { templateFault } from './random-schedule.js';

const RANDOM_KEYS = ['forMs', 'intervalMs', 'faults', 'targets', 'seed'];
/** Keys that give a fault its own victims: such a template keeps them and draws no target. */
const VICTIM_KEYS = ['target', 'groups', 'shape'];

function readInterval(field: YamlField, forMs: number): { min: number; max: number } {
  const map = field.map().only(['min', 'max']);
  const min = map.required('min').integer({ min: MIN_RANDOM_INTERVAL_MS, max: forMs });
  const maxField = map.required('max');
  const max = maxField.integer({ min: MIN_RANDOM_INTERVAL_MS, max: forMs });
  if (max < min) maxField.fail(`max ${max} is less than min ${min}`);
  return { min, max };
}

/**
 * A template is validated with every target it may draw, so no planned fault can be refused at run time; a
 * target that cannot work with it fails at the target's entry in `targets`.
 */
function readTemplate(field: YamlField, targets: readonly YamlField[], context: FaultContext): FaultTemplate {
  const fields = field.readPlain((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return field.fail('expected a fault mapping (kind, and target unless drawn from targets)');
    return value as Readonly<Record<string, unknown>>;
  });
  const template: FaultTemplate = { fields, needsTarget: !VICTIM_KEYS.some((key) => key in fields) };
  if (template.needsTarget && targets.length === 0) field.fail('this fault has no target and the schedule lists no targets to draw from');
  for (const targetField of template.needsTarget ? targets : [undefined]) {
    try {
      checkFaultAgainst(parseFault(templateFault(template, targetField?.settingText())), context);
    } catch (error) {
      if (error instanceof FieldError && error.path[0] === 'target' && targetField) targetField.fail(`${error.reason} (drawn for ${field.path})`);
      field.readPlain(() => {
        throw error;
      });
    }
  }
  return template;
}

/** `random: { forMs, intervalMs: {min, max}, faults: [...], targets: [...], seed? }`. */
export function readRandomSchedule(field: YamlField, context: FaultContext): RandomScheduleSpec {
  const map = field.map().only(RANDOM_KEYS);
  const forMs = map.required('forMs').integer({ min: 2 * MIN_RANDOM_INTERVAL_MS, max: MAX_RANDOM_FOR_MS });
  const intervalMs = readInterval(map.required('intervalMs'), forMs);
  const targetFields = map.optional('targets')?.list() ?? [];
  const targets = targetFields.map((item) => item.settingText());
  const faultFields = map.required('faults').list();
  if (faultFields.length === 0) map.field('faults').fail('expected at least one fault');
  const faults = faultFields.map((item) => readTemplate(item, targetFields, context));
  const seed = map.optional('seed')?.integer({ min: 0, max: MAX_SEED });
  return { forMs, intervalMs, faults, targets, ...(seed !== undefined ? { seed } : {}) };
}
