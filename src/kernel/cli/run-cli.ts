import { CommanderError } from 'commander';
import { isDomainError } from '../errors/domain-error.ts';
import { EXIT_CODE_BY_KIND, EXIT_INTERNAL, EXIT_USAGE } from './exit-codes.ts';
import { databaseUnavailable } from '../database/connection-errors.ts';
import { problemDetails, problemOfDomainError } from '../errors/problem-details.ts';
import { relayedOccurrence } from './remote-api.ts';
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
    // A lost or refused database connection is "unavailable" (69), not an internal error.
    const failure = databaseUnavailable(error) ?? error;
    const exitCode = isDomainError(failure) ? EXIT_CODE_BY_KIND[failure.kind] : EXIT_INTERNAL;
    if (json) {
      // The same RFC 9457 problem document the API answers with, so a script parses one shape.
      const body = isDomainError(failure)
        ? problemOfDomainError(failure, relayedOccurrence(failure))
        : problemDetails('internal', 500, 'internal', (failure as Error).message);
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      const hint = debug || isDomainError(failure) ? '' : ' (run again with --debug to see the stack trace)';
      process.stderr.write(
        `steward: ${isDomainError(failure) ? failure.message : `internal error: ${(failure as Error).message}`}${hint}\n`,
      );
    }
    if (debug) process.stderr.write(`${(failure as Error).stack ?? String(failure)}\n`);
    return exitCode;
  }
}
