import { Option, type Command } from 'commander';
import {
  COMMIT_MODES,
  MAX_CONSUMER_DURATION_MS,
  MAX_CONSUMER_MEMBERS,
  Run,
  UsageError,
  requireClusterState,
  startConsumerGroup,
  withAdmin,
  withRun,
  type CommitMode,
  type ConsumerGroupSummary,
} from '../index.js';
import { interruptSignal } from './interrupt.js';
import { printResult, progress } from './output.js';
import { parseIntOption } from './parse.js';

interface ConsumeGroupFlags {
  readonly topic: string;
  readonly group: string;
  readonly members: string;
  readonly commit: CommitMode;
  readonly durationMs: string;
  readonly drainTimeoutMs: string;
  readonly run?: string;
  readonly runsDir: string;
  readonly bootstrap?: string;
  readonly json?: boolean;
}

/** A progress line on stderr every this often. */
const PROGRESS_INTERVAL_MS = 5000;

function summaryText(s: ConsumerGroupSummary & { runDir: string }): string {
  const members = Object.entries(s.perMember).map(([m, n]) => `${m} ${n}`).join(', ');
  const drained = s.drained.complete ? `drained to the end offsets of ${s.drained.partitions.length} partitions` : `not drained${s.drained.error !== undefined ? `: ${s.drained.error}` : ''}`;
  return [`Received: ${s.received} (${members})`, `Rebalances: ${s.rebalances}  Commits: ${s.commits} (failed ${s.commitFailures})  Errors: ${s.errors}`, `Stopped by: ${s.stoppedBy}; ${drained}`, `Run: ${s.runDir} (check it with: faultline check ${s.runDir})`].join('\n');
}

/** Resolves after durationMs or when the signal fires, whichever is first. */
function untilDurationOrInterrupt(durationMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, durationMs);
    signal.addEventListener('abort', done);
    if (signal.aborted) done();
  });
}

/** `faultline consume-group`: a long-lived consumer group recorded in a run directory, until the duration or Ctrl-C. */
export function registerConsumerCommands(program: Command): void {
  program
    .command('consume-group')
    .description('run a consumer group of K members until --duration-ms or Ctrl-C, recording every record received (consume ops) and every rebalance; then drain to the end offsets')
    .requiredOption('--topic <name>', 'topic to subscribe to')
    .requiredOption('--group <id>', 'consumer group id')
    .option('--members <k>', `members, each its own client (1..${MAX_CONSUMER_MEMBERS})`, '3')
    .addOption(new Option('--commit <mode>', 'sync: commit after each poll batch and wait; auto: auto-commit').choices(COMMIT_MODES).default('sync'))
    .option('--duration-ms <ms>', 'stop after this long', '60000')
    .option('--drain-timeout-ms <ms>', 'at stop, how long the group may take to reach the end offsets', '30000')
    .option('--run <name>', 'run directory name (default consume-group-<time>)')
    .option('--runs-dir <dir>', 'parent of run directories', 'runs')
    .option('--bootstrap <servers>', 'another cluster than the local one')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: ConsumeGroupFlags) => {
      const members = parseIntOption('--members', flags.members, 1, MAX_CONSUMER_MEMBERS);
      const durationMs = parseIntOption('--duration-ms', flags.durationMs, 1, MAX_CONSUMER_DURATION_MS);
      const drainTimeoutMs = parseIntOption('--drain-timeout-ms', flags.drainTimeoutMs, 0, MAX_CONSUMER_DURATION_MS);
      const bootstrap = flags.bootstrap ?? requireClusterState().bootstrap;
      const topics = await withAdmin(bootstrap, (admin) => admin.listTopics());
      if (!topics.includes(flags.topic)) throw new UsageError(`unknown topic ${flags.topic}; create it with 'faultline topic create ${flags.topic} --partitions 6 --replication-factor 3'`);
      const name = flags.run ?? `consume-group-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const run = Run.create(flags.runsDir, { run: name, topic: flags.topic, group: flags.group, members, commit: flags.commit, consumerGroup: true });
      progress(`run directory: ${run.path}`);
      const summary = await withRun(run, async () => {
        const group = startConsumerGroup({ bootstrap, topic: flags.topic, group: flags.group, members, commit: flags.commit, durationMs, drainTimeoutMs, sink: run });
        const ticker = setInterval(() => progress(`received ${group.progress().received}`), PROGRESS_INTERVAL_MS);
        try {
          await group.ready();
          await untilDurationOrInterrupt(durationMs, interruptSignal());
        } catch (error) {
          // A member could not connect: the others are drained and closed before the error goes up.
          await group.stop();
          throw error;
        } finally {
          clearInterval(ticker);
        }
        return group.stop();
      });
      printResult(flags.json, { ...summary, runDir: run.path }, summaryText);
    });
}
