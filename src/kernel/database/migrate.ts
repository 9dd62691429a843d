import type { Kysely } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { Conflict, Unavailable } from '../errors/domain-error.ts';
import type { MigrationMap } from './migration-map.ts';

export interface MigrationOutcome {
  applied: string[];
  total: number;
}

/**
 * Brings the schema up to date. Each migration runs in its own transaction, so a failing one
 * leaves the schema at the last good migration, never half-applied. Concurrent callers on
 * PostgreSQL serialise on Kysely's advisory lock, so several processes may start at once.
 */
export async function migrateToLatest<Tables>(
  db: Kysely<Tables>,
  migrations: readonly MigrationMap[],
): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db,
    provider: mergedMigrations(migrations),
    allowUnorderedMigrations: true,
  });
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

/** Every module's migrations as one provider; two modules naming a migration alike is a mistake caught here. */
function mergedMigrations(maps: readonly MigrationMap[]): MigrationProvider {
  return {
    async getMigrations() {
      const merged: MigrationMap = {};
      for (const map of maps) {
        for (const [name, migration] of Object.entries(map)) {
          if (merged[name])
            throw new Conflict('db.duplicate_migration', `Two modules define migration ${name}; rename one.`);
          merged[name] = migration;
        }
      }
      return merged;
    },
  };
}
