import { sql, type Kysely } from 'kysely';
import { maskingMigrations } from '../store/masking-migrations.ts';

/**
 * Creates the masking tables in a test's Steward database unless the app's migration registry
 * already did (until the module is wired into src/app/migration-registry.ts it is not).
 */
export async function ensureMaskingTables(db: Kysely<unknown>): Promise<void> {
  const exists = await sql<{
    found: string | null;
  }>`select to_regclass('masking_runs')::text as found`.execute(db);
  if (exists.rows[0]?.found) return;
  for (const migration of Object.values(maskingMigrations)) await migration.up(db);
}
