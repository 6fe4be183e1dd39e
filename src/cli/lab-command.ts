import type { Command } from 'commander';
import { DEFAULT_LAB_DISK_MB, labDown, labUp, MAX_LAB_HOSTS, readLabState, type LabState } from '../index.js';
import { intOption } from './options.js';
import { printResult, table } from './output.js';

/** Largest lab host disk (a tmpfs), in MiB. */
const MAX_LAB_DISK_MB = 65_536;
const MIN_LAB_DISK_MB = 256;

function describeLab(lab: LabState): string {
  const hosts = lab.hosts.map((h) => h.address).join(',');
  return [
    table(['host', 'address', 'namespace', 'pid'], lab.hosts.map((h) => [h.name, h.address, h.namespace, h.pid])),
    `ssh key: ${lab.keyFile} (user root); control node address ${lab.controlAddress}`,
    `try: faultline cluster up --provider ssh --hosts ${hosts} --ssh-key ${lab.keyFile}`,
  ].join('\n');
}

export function registerLabCommand(program: Command): void {
  const lab = program.command('lab').description('stand-in hosts on this machine for the SSH provider: network namespaces, each with its own sshd, pids and disk');
  lab
    .command('up')
    .description('start lab hosts h1..hN (root login with the lab key)')
    .addOption(intOption('--hosts <n>', `number of hosts (1..${MAX_LAB_HOSTS})`, 1, MAX_LAB_HOSTS).default(3))
    .addOption(intOption('--disk-mb <mb>', `each host's disk, a tmpfs (${MIN_LAB_DISK_MB}..${MAX_LAB_DISK_MB})`, MIN_LAB_DISK_MB, MAX_LAB_DISK_MB).default(DEFAULT_LAB_DISK_MB))
    .option('--json', 'print the lab as JSON')
    .action(async (flags: { hosts: number; diskMb: number; json?: boolean }) => {
      printResult(flags.json, await labUp({ hosts: flags.hosts, diskMb: flags.diskMb }), describeLab);
    });
  lab
    .command('down')
    .description('end every lab host and everything running on it; remove their namespaces')
    .option('--json', 'print what was removed as JSON')
    .action(async (flags: { json?: boolean }) => {
      const removed = await labDown();
      printResult(flags.json, { removed }, (r) => (r.removed.length === 0 ? 'no lab' : r.removed.map((s) => `removed ${s}`).join('\n')));
    });
  lab
    .command('status')
    .description('show the lab hosts')
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      const state = readLabState();
      printResult(flags.json, state ?? { hosts: [] }, () => (state ? describeLab(state) : 'no lab (start one with: faultline lab up)'));
    });
}
