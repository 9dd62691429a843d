import type { CliContext } from '../../kernel/cli/cli-context.ts';
import type { StewardDatabase } from '../../kernel/database/open-database.ts';

/** Opens the configured database (schema brought up to date), runs `work` and closes it again. */
export function withOperatorDatabase<Tables, T>(
  context: CliContext,
  work: (database: StewardDatabase<Tables>) => Promise<T>,
): Promise<T> {
  return context.withServices(
    { withModules: false, enqueuesJobs: false },
    ({ database }: { database: StewardDatabase<Tables> }) => work(database),
  );
}

/** The CLI acts as the operator who runs it: recorded as a system actor, never as a person. */
export const OPERATOR_ACTOR = { kind: 'system' as const, id: 'steward-cli' };
