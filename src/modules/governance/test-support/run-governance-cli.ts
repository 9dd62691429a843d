// Runs `steward` as its entry point does (src/app/cli/steward.ts), with `steward datamap check`
// mounted under `datamap` if the app's program does not mount it yet.
// Usage: node src/modules/governance/test-support/run-governance-cli.ts <command> … --config steward.yaml
import { installCliEnvironment } from '../../../kernel/cli/cli-context.ts';
import { runCli } from '../../../kernel/cli/run-cli.ts';
import { stewardCliEnvironment } from '../../../app/cli/command-services.ts';
import { buildProgram } from '../../../app/cli/program.ts';
import { datamapCheckCommand } from '../cli/datamap-check-command.ts';

function programWithCheck() {
  const program = buildProgram();
  const datamap = program.commands.find((c) => c.name() === 'datamap');
  if (datamap && !datamap.commands.some((c) => c.name() === 'check'))
    datamap.addCommand(datamapCheckCommand().exitOverride());
  return program;
}

installCliEnvironment(stewardCliEnvironment);
process.exitCode = await runCli(process.argv, programWithCheck);
