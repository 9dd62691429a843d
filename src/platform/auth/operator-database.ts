import type { CliContext } from '../../kernel/cli/cli-context.ts';
import { migrateToLatest } from '../../kernel/database/migrate.ts';
import { openDatabase, type StewardDatabase } from '../../kernel/database/open-database.ts';

/** Opens the configured database, brings its schema up to date, runs `work` and closes it again. */
export async function withOperatorDatabase<T>(
  context: CliContext,
  work: (database: StewardDatabase) => Promise<T>,
): Promise<T> {
  const { config } = context.loadConfig();
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

/** The CLI acts as the operator who runs it: recorded as a system actor, never as a person. */
export const OPERATOR_ACTOR = { kind: 'system' as const, id: 'steward-cli' };
