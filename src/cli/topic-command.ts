import type { Command } from 'commander';
import { MAX_BROKERS, assertTopicName, describeTopicView, isBroker, requireClusterState, withAdmin, type PartitionDescription } from '../index.js';
import { intOption } from './options.js';
import { collect, parseKeyValues } from './parse.js';
import { printResult, table } from './output.js';

interface CommonFlags {
  bootstrap?: string;
  json?: boolean;
}

/** Partitions `topic create` takes at most. */
const MAX_PARTITIONS = 10_000;

/** The local cluster's bootstrap, unless --bootstrap names another cluster. */
function bootstrapFor(flags: { bootstrap?: string }): string {
  return flags.bootstrap ?? requireClusterState().bootstrap;
}

export function registerTopicCommands(program: Command): void {
  const topic = program.command('topic').description('create, describe and delete topics');

  topic
    .command('create')
    .argument('<name>', 'topic name')
    .addOption(intOption('--partitions <p>', 'partition count', 1, MAX_PARTITIONS).makeOptionMandatory())
    .addOption(intOption('--replication-factor <r>', 'replicas per partition', 1, MAX_BROKERS).makeOptionMandatory())
    .option('--config <key=value>', 'topic config, repeatable (e.g. min.insync.replicas=2)', collect)
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print as JSON')
    .action(async (name: string, flags: CommonFlags & { partitions: number; replicationFactor: number; config?: string[] }) => {
      // Checked here too, so a bad name is refused even before the local cluster is looked up.
      assertTopicName(name, 'name');
      const spec = {
        name,
        partitions: flags.partitions,
        replicationFactor: flags.replicationFactor,
        config: parseKeyValues('--config', flags.config ?? []),
      };
      await withAdmin(bootstrapFor(flags), (admin) => admin.createTopic(spec));
      printResult(flags.json, { created: name, ...spec }, () => `created topic ${name} (${spec.partitions} partitions, replication factor ${spec.replicationFactor})`);
    });

  topic
    .command('describe')
    .argument('<name>', 'topic name')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print as JSON: {partitions: [{partition, leader, replicas, isr}]}')
    .action(async (name: string, flags: CommonFlags) => {
      // The local cluster: every broker is asked and the newest leader epoch wins (an isolated old leader is outvoted).
      const partitions: (PartitionDescription & { leaderEpoch?: number })[] = flags.bootstrap
        ? await withAdmin(flags.bootstrap, (admin) => admin.describeTopic(name))
        : (await describeTopicView(requireClusterState().nodes.filter(isBroker), name)).partitions;
      printResult(flags.json, { topic: name, partitions }, () =>
        table(['partition', 'leader', 'epoch', 'replicas', 'isr'], partitions.map((p) => [p.partition, p.leader, p.leaderEpoch ?? '-', p.replicas.join(','), p.isr.join(',')])),
      );
    });

  topic
    .command('delete')
    .argument('<name>', 'topic name')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print as JSON')
    .action(async (name: string, flags: CommonFlags) => {
      await withAdmin(bootstrapFor(flags), (admin) => admin.deleteTopic(name));
      printResult(flags.json, { deleted: name }, () => `deleted topic ${name}`);
    });

  topic
    .command('list')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print as JSON')
    .action(async (flags: CommonFlags) => {
      const topics = (await withAdmin(bootstrapFor(flags), (admin) => admin.listTopics())).filter((t) => !t.startsWith('__')).sort();
      printResult(flags.json, { topics }, () => topics.join('\n'));
    });

  program
    .command('offsets')
    .description('per partition: the high watermark, and the last stable offset when it differs')
    .argument('<topic>', 'topic name')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print as JSON: {partitions: [{partition, highWatermark, lastStableOffset}]}')
    .action(async (name: string, flags: CommonFlags) => {
      const offsets = await withAdmin(bootstrapFor(flags), (admin) => admin.offsets(name));
      printResult(flags.json, { topic: name, partitions: offsets }, () =>
        offsets.map((p) => `${name}:${p.partition}:${p.highWatermark}${p.lastStableOffset !== p.highWatermark ? ` (last stable ${p.lastStableOffset})` : ''}`).join('\n'),
      );
    });
}
