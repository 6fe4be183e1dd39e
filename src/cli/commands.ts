import type { Command } from 'commander';
import { registerCheckCommand } from './check-command.js';
import { registerClusterCommand } from './cluster-command.js';
import { registerTopicCommands } from './topic-command.js';
import { registerFaultCommands } from './fault-command.js';
import { registerSuiteCommands } from './suite-command.js';
import { registerWorkloadCommands } from './workload-command.js';
import { registerConsumerCommands } from './consumer-command.js';
import { registerQueueCommand } from './queue-command.js';
import { registerModelCommand } from './model-command.js';
import { registerReportCommand } from './report-command.js';
import { registerValidateCommand } from './validate-command.js';
import { registerRunCommands } from './run-command.js';
import { registerLabCommand } from './lab-command.js';

/** Every command group registers itself here; each group lives in its own file. */
export function registerCommands(program: Command): void {
  registerClusterCommand(program);
  registerTopicCommands(program);
  registerCheckCommand(program);
  registerReportCommand(program);
  registerFaultCommands(program);
  registerWorkloadCommands(program);
  registerConsumerCommands(program);
  registerQueueCommand(program);
  registerSuiteCommands(program);
  registerValidateCommand(program);
  registerRunCommands(program);
  registerModelCommand(program);
  registerLabCommand(program);
}
