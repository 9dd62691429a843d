// Runs the governance commands as the `steward` program will once they are mounted: a real process
// with Steward's global options and its error handling (`steward: …`, exit codes).
// Usage: node src/modules/governance/test-support/run-governance-cli.ts <command> … --config steward.yaml
import { Command } from 'commander';
import { EXIT_CODE_BY_KIND, EXIT_INTERNAL } from '../../../kernel/cli/exit-codes.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import { breachCommand } from '../cli/breach-command.ts';
import { datamapCheckCommand } from '../cli/datamap-check-command.ts';
import { governanceCommand } from '../cli/governance-command.ts';
import { ropaCommand } from '../cli/ropa-command.ts';

function program(): Command {
  const root = new Command('steward').option('-c, --config <path>').option('--json').option('--debug');
  root.addCommand(new Command('datamap').addCommand(datamapCheckCommand()));
  for (const command of [ropaCommand(), breachCommand(), governanceCommand()]) root.addCommand(command);
  return root;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`steward: ${(error as Error).message}\n`);
  process.exitCode = isDomainError(error) ? EXIT_CODE_BY_KIND[error.kind] : EXIT_INTERNAL;
}
