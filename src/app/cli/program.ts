import { Command } from 'commander';
import { STEWARD_VERSION } from '../../kernel/version.ts';
import { stewardCommands } from '../wire-modules.ts';
import { initCommand } from './init-command.ts';
import { loginCommand, logoutCommand } from './login-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { serveCommand, workerCommand } from './serve-command.ts';

/** The `steward` program: global options, the app's own commands, then every module's. */
export function buildProgram(): Command {
  const program = new Command('steward')
    .description('Steward: privacy-operations control plane for GDPR and CCPA/CPRA.')
    .version(STEWARD_VERSION, '-v, --version', 'print the version')
    .option('-c, --config <path>', 'path to steward.yaml (default: ./steward.yaml or $STEWARD_CONFIG)')
    .option('--json', 'print machine-readable JSON instead of text')
    .option('--debug', 'show debug logs and stack traces')
    .option(
      '--server <url>',
      'remote mode: act through the API of the Steward at <url> ($STEWARD_SERVER), with $STEWARD_API_KEY or the key `steward login` saved',
    )
    .option(
      '--profile <name>',
      'remote mode: the server and key saved by `steward login --profile <name>` ($STEWARD_PROFILE)',
    )
    .option('-y, --yes', 'run destructive commands without asking (scripts must pass it)');

  for (const command of [
    initCommand(),
    serveCommand(),
    workerCommand(),
    migrateCommand(),
    loginCommand(),
    logoutCommand(),
    ...stewardCommands(),
  ]) {
    program.addCommand(command);
  }
  // addCommand() copies no settings, so every command gets the same error output and exit handling.
  for (const command of withSubcommands(program)) command.configureOutput(USAGE_ERROR_OUTPUT).exitOverride();
  return program;
}

/**
 * Usage errors as one line, like every other error: `steward: unknown command 'srve' (Did you mean
 * serve?) …`. Help is 80 columns wide wherever it is printed, so the pages `steward --help` answers
 * from the catalog (help-catalog.ts) are the ones the program renders.
 */
const USAGE_ERROR_OUTPUT = {
  getOutHelpWidth: () => 80,
  getErrHelpWidth: () => 80,
  outputError: (text: string, write: (text: string) => void) =>
    write(
      `steward: ${text
        .replace(/^error: /, '')
        .trim()
        .split('\n')
        .join(' ')} (run with --help for usage)\n`,
    ),
};

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((sub) => withSubcommands(sub))];
}
