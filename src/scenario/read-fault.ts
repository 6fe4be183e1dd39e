import { parseFault } from '../nemesis/fault-parse.js';
import { checkFaultAgainst, type FaultContext } from '../nemesis/fault-validate.js';
import type { FaultRequest } from '../nemesis/fault-request.js';
import type { YamlField } from './yaml-field.js';

/**
 * Reads one `fault:` mapping with the nemesis's own parser and validator (the same rules as the CLI and
 * injectFault), then checks it against the scenario's cluster and topic; every error is positioned.
 */
export function readFault(field: YamlField, context: FaultContext): FaultRequest {
  return field.readPlain((value) => {
    const request = parseFault(value);
    checkFaultAgainst(request, context);
    return request;
  });
}
