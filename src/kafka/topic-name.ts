import { UsageError } from '../errors.js';

/** Kafka's limit on a topic name's length (Topic.MAX_NAME_LENGTH). */
export const MAX_TOPIC_NAME_LENGTH = 249;
const TOPIC_NAME_CHARACTERS = /^[a-zA-Z0-9._-]+$/;
const RESERVED_TOPIC_NAMES: readonly string[] = ['.', '..'];

/**
 * Why Kafka would refuse `name` as a topic name, or undefined when it accepts it. Kafka's rule
 * (org.apache.kafka.common.internals.Topic.validate): 1..249 of ASCII letters, digits, '.', '_', '-';
 * not '.' or '..'. The scenario loader and the CLI use this one rule.
 */
export function topicNameProblem(name: string): string | undefined {
  if (RESERVED_TOPIC_NAMES.includes(name)) return `'${name}' is not a valid topic name ('.' and '..' are reserved)`;
  if (name.length === 0 || name.length > MAX_TOPIC_NAME_LENGTH || !TOPIC_NAME_CHARACTERS.test(name)) {
    return `'${name}' is not a valid topic name (letters, digits, '.', '_', '-'; at most ${MAX_TOPIC_NAME_LENGTH})`;
  }
  return undefined;
}

/** Throws a UsageError naming `field` when `name` is not a valid topic name. */
export function assertTopicName(name: string, field = 'topic'): void {
  const problem = topicNameProblem(name);
  if (problem !== undefined) throw new UsageError(`${field}: ${problem}`);
}
