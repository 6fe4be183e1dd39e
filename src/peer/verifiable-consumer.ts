import { UsageError } from '../errors.js';
import { javaToolCommand, type JavaToolCommand, type JavaToolJvmOptions, type ToolDistribution } from './java-tool.js';

export const VERIFIABLE_CONSUMER_CLASS = 'org.apache.kafka.tools.VerifiableConsumer';

const JAVA_INT_MAX = 2_147_483_647;
export const GROUP_PROTOCOLS = ['classic', 'consumer'] as const;
export type GroupProtocol = (typeof GROUP_PROTOCOLS)[number];
export const RESET_POLICIES = ['earliest', 'latest', 'none'] as const;
export type ResetPolicy = (typeof RESET_POLICIES)[number];

export interface VerifiableConsumerOptions extends JavaToolJvmOptions {
  readonly dist: ToolDistribution;
  readonly bootstrapServers: string;
  readonly topic: string;
  /** The consumer group (the tool always subscribes). */
  readonly groupId: string;
  /** Records to consume before exiting; -1 (default) until stopped (SIGTERM: its hook closes the consumer). */
  readonly maxMessages?: number;
  /** Default: the tool's ('classic' on 3.9.2 and 4.3.1). */
  readonly groupProtocol?: GroupProtocol;
  /** Where a member without a committed offset starts; default 'earliest'. */
  readonly resetPolicy?: ResetPolicy;
  /** --session-timeout; classic protocol only (4.3.1 rejects it with the consumer protocol). Tool default 30 s. */
  readonly sessionTimeoutMs?: number;
  /** Static membership (--group-instance-id). */
  readonly groupInstanceId?: string;
  /**
   * Consumer properties file (`writeProducerConfig` writes any properties file), e.g. `isolation.level=read_committed`;
   * passed as --command-config on 4.x and --consumer.config on 3.x.
   */
  readonly consumerConfigFile?: string;
}

function nonEmpty(name: string, value: string): void {
  if (value.trim() === '' || /\s/.test(value)) throw new UsageError(`${name} must be a non-empty word, got ${JSON.stringify(value)}`);
}

/**
 * `java … org.apache.kafka.tools.VerifiableConsumer …` (options checked against 3.9.2 and 4.3.1). Always
 * `--verbose`: only its `record_data` lines carry the values, which the history needs. Never
 * `--enable-autocommit`: then every commit is the tool's own commitSync and is printed as `offsets_committed`.
 */
export function verifiableConsumerCommand(options: VerifiableConsumerOptions): JavaToolCommand {
  nonEmpty('bootstrapServers', options.bootstrapServers);
  nonEmpty('topic', options.topic);
  nonEmpty('groupId', options.groupId);
  const maxMessages = options.maxMessages ?? -1;
  if (maxMessages !== -1 && !(Number.isSafeInteger(maxMessages) && maxMessages >= 0 && maxMessages <= JAVA_INT_MAX)) {
    throw new UsageError(`maxMessages must be -1 or a whole number from 0 to ${JAVA_INT_MAX}, got ${maxMessages}`);
  }
  const resetPolicy = options.resetPolicy ?? 'earliest';
  if (!(RESET_POLICIES as readonly string[]).includes(resetPolicy)) throw new UsageError(`resetPolicy must be one of ${RESET_POLICIES.join(', ')}, got ${JSON.stringify(resetPolicy)}`);
  const args = ['--bootstrap-server', options.bootstrapServers, '--topic', options.topic, '--group-id', options.groupId, '--max-messages', String(maxMessages), '--reset-policy', resetPolicy, '--verbose'];
  if (options.groupProtocol !== undefined) {
    if (!(GROUP_PROTOCOLS as readonly string[]).includes(options.groupProtocol)) throw new UsageError(`groupProtocol must be one of ${GROUP_PROTOCOLS.join(', ')}, got ${JSON.stringify(options.groupProtocol)}`);
    args.push('--group-protocol', options.groupProtocol);
  }
  if (options.sessionTimeoutMs !== undefined) {
    if (options.groupProtocol === 'consumer') throw new UsageError('sessionTimeoutMs is for the classic group protocol only (the consumer protocol takes it from the broker)');
    if (!Number.isSafeInteger(options.sessionTimeoutMs) || options.sessionTimeoutMs < 1 || options.sessionTimeoutMs > JAVA_INT_MAX) {
      throw new UsageError(`sessionTimeoutMs must be a whole number from 1 to ${JAVA_INT_MAX}, got ${options.sessionTimeoutMs}`);
    }
    args.push('--session-timeout', String(options.sessionTimeoutMs));
  }
  if (options.groupInstanceId !== undefined) {
    nonEmpty('groupInstanceId', options.groupInstanceId);
    args.push('--group-instance-id', options.groupInstanceId);
  }
  if (options.consumerConfigFile !== undefined) {
    // 4.x deprecates --consumer.config (and prints a notice); 3.x has no --command-config.
    args.push(options.dist.major >= 4 ? '--command-config' : '--consumer.config', options.consumerConfigFile);
  }
  return javaToolCommand(options.dist, VERIFIABLE_CONSUMER_CLASS, args, options);
}
