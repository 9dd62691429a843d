import { CommanderError } from 'commander';
import { isDomainError } from '../errors/domain-error.ts';
import { EXIT_CODE_BY_KIND, EXIT_INTERNAL, EXIT_USAGE } from './exit-codes.ts';
import type { Command } from 'commander';

/**
 * Runs the CLI and turns every failure into one clear line and an exit code. A stack trace is
 * shown only with --debug.
 */
export async function runCli(argv: string[], buildProgram: () => Command): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version also arrive here, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const exitCode = isDomainError(error) ? EXIT_CODE_BY_KIND[error.kind] : EXIT_INTERNAL;
    if (json) {
      const body = isDomainError(error)
        ? { error: { code: error.code, message: error.message, details: error.details } }
        : { error: { code: 'internal', message: (error as Error).message } };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      const hint = debug || isDomainError(error) ? '' : ' (run again with --debug to see the stack trace)';
      process.stderr.write(
        `steward: ${isDomainError(error) ? error.message : `internal error: ${(error as Error).message}`}${hint}\n`,
      );
    }
    if (debug) process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    return exitCode;
  }
}
