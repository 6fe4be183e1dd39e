import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { choiceOption, intOption } from '../../../src/cli/options.js';
import { UsageError } from '../../../src/errors.js';

async function parse(args: string[]): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> = {};
  const program = new Command().exitOverride();
  program
    .command('x')
    .addOption(choiceOption('--acks <acks>', 'acks', ['0', '1', 'all'], { '-1': 'all' }).default('all'))
    .addOption(intOption('--count <n>', 'count', 1, 5).default(3))
    .action((flags: Record<string, unknown>) => {
      seen = flags;
    });
  await program.parseAsync(['node', 'faultline', 'x', ...args]);
  return seen;
}

test('choiceOption: a choice or an alias passes; anything else is a UsageError naming the flag', async () => {
  assert.deepEqual(await parse([]), { acks: 'all', count: 3 });
  assert.deepEqual(await parse(['--acks', '-1', '--count', '5']), { acks: 'all', count: 5 });
  await assert.rejects(parse(['--acks', '2']), (e: unknown) => e instanceof UsageError && e.message === "--acks: expected 0, 1 or all, got '2'");
  assert.deepEqual(choiceOption('--acks <acks>', 'acks', ['0', '1']).argChoices, ['0', '1'], 'help lists the choices');
});

test('intOption: whole numbers in range only, the flag named in the error', async () => {
  await assert.rejects(parse(['--count', '6']), (e: unknown) => e instanceof UsageError && e.message === '--count: 6 is out of range (1..5)');
  await assert.rejects(parse(['--count', '1.5']), (e: unknown) => e instanceof UsageError && e.message === "--count: expected a whole number, got '1.5'");
});
