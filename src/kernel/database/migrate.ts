import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { Unavailable } from '../errors/domain-error.ts';
import type { Database } from '../../app/database.ts';
import { migrationProvider } from '../../app/migration-registry.ts';

export interface MigrationOutcome {
  applied: string[];
  total: number;
}

/**
 * Brings the schema up to date. Each migration runs in its own transaction, so a failing one
 * leaves the schema at the last good migration, never half-applied. Concurrent callers on
 * PostgreSQL serialise on Kysely's advisory lock, so several processes may start at once.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new Unavailable(
      'db.migration_failed',
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}. The schema was left at the last migration that succeeded.`,
      { migration: failed?.migrationName },
      { cause: error },
    );
  }
  const total = (await migrator.getMigrations()).length;
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName), total };
}
