import type { FaultRequest, PartitionGroup, PartitionShape } from './fault-request.js';
import { formatTarget } from './target.js';

function formatShape(shape: PartitionShape): string {
  return shape.kind === 'minority-with' ? `minority-with:${formatTarget(shape.target)}` : shape.kind;
}

export function formatGroup(group: PartitionGroup): string {
  return group === 'rest' ? 'rest' : group.map(formatTarget).join(',');
}

/** What a fault aims at, as one line of text: the registry's and the journal's `target`. */
export function faultTargetText(request: FaultRequest): string {
  if (request.kind !== 'partition') return formatTarget(request.target);
  if (request.shape) return formatShape(request.shape);
  if (request.groups) return request.groups.map(formatGroup).join(' | ');
  return request.target ? formatTarget(request.target) : '';
}
