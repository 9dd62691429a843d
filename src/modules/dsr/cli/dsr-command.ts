import { Command } from 'commander';
import { replayErasuresCommand } from './replay-erasures-command.ts';
import { dsrPlanCommand } from './dsr-plan-command.ts';
import { requestCommands } from '../use-cases/requests/request-commands.ts';

/**
 * `steward dsr …`: data subject requests. One parent shared by the DSR domain's command files;
 * each subcommand lives next to the code it calls and is added here.
 */
export function dsrCommand(): Command {
  const dsr = new Command('dsr').description(
    'data subject requests: submit, status, approve, deny, extend, cancel; plan; replay erasures after a restore',
  );
  for (const command of requestCommands()) dsr.addCommand(command);
  return dsr.addCommand(dsrPlanCommand()).addCommand(replayErasuresCommand());
}
