import { Command } from 'commander';
import { replayErasuresCommand } from '../../dsr/journal/replay-erasures-command.ts';
import { dsrPlanCommand } from '../../dsr/planning/dsr-plan-command.ts';

/**
 * `steward dsr …`: data subject requests. One parent shared by the DSR domain's command files;
 * each subcommand lives next to the code it calls and is added here.
 */
export function dsrCommand(): Command {
  return new Command('dsr').description('data subject requests: plan, replay erasures after a restore').addCommand(dsrPlanCommand()).addCommand(replayErasuresCommand());
}
