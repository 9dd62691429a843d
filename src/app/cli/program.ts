import { Command } from 'commander';
import { STEWARD_VERSION } from '../../kernel/version.ts';
import { auditCommand } from '../../platform/audit/cli/audit-command.ts';
import { demoCommand } from '../../modules/demo/cli/demo-command.ts';
import { initCommand } from './init-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { serveCommand, workerCommand } from './serve-command.ts';
import { jobsCommand } from '../../kernel/jobs/jobs-command.ts';
import { userCommand } from '../../platform/auth/cli/user-command.ts';
import { apikeyCommand } from '../../platform/auth/cli/apikey-command.ts';
import { secretsCommand } from '../../platform/secrets/cli/secrets-command.ts';
import { datamapCommand } from '../../platform/datamap/cli/datamap-command.ts';
import { dsrCommand } from '../../modules/dsr/cli/dsr-command.ts';
import { retentionCommand } from '../../modules/retention/cli/retention-command.ts';
import { flowsCommand } from '../../modules/retention/cli/flows-command.ts';
import { consentCommand } from '../../modules/consent/cli/consent-command.ts';

/** The `steward` program: global options, then one command per file under commands/. */
export function buildProgram(): Command {
  const program = new Command('steward')
    .description('Steward: privacy-operations control plane for GDPR and CCPA/CPRA.')
    .version(STEWARD_VERSION, '-v, --version', 'print the version')
    .option('-c, --config <path>', 'path to steward.yaml (default: ./steward.yaml or $STEWARD_CONFIG)')
    .option('--json', 'print machine-readable JSON instead of text')
    .option('--debug', 'show debug logs and stack traces');

  for (const command of [initCommand(), serveCommand(), workerCommand(), migrateCommand(), jobsCommand(), userCommand(), apikeyCommand(), secretsCommand(), demoCommand(), datamapCommand(), auditCommand(), dsrCommand(), consentCommand(), retentionCommand(), flowsCommand()]) {
    program.addCommand(command);
  }
  // addCommand() copies no settings, so every command gets the same error output and exit handling.
  for (const command of withSubcommands(program)) command.configureOutput(USAGE_ERROR_OUTPUT).exitOverride();
  return program;
}

/** Usage errors as one line, like every other error: `steward: unknown command 'srve' (Did you mean serve?) …`. */
const USAGE_ERROR_OUTPUT = {
  outputError: (text: string, write: (text: string) => void) =>
    write(`steward: ${text.replace(/^error: /, '').trim().split('\n').join(' ')} (run with --help for usage)\n`),
};

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((sub) => withSubcommands(sub))];
}
