import { sql, type Kysely } from 'kysely';
import { governanceMigrations } from './governance-migrations.ts';

/**
 * Creates the governance tables when the migration list does not include this module yet. Once the
 * app runs `governanceMigrations` with the others this finds the tables and does nothing.
 */
export async function ensureGovernanceTables(handle: object): Promise<void> {
  const db = handle as Kysely<unknown>;
  const found = await sql<{
    name: string | null;
  }>`select to_regclass('governance_breaches')::text as name`.execute(db);
  if (found.rows[0]?.name) return;
  for (const migration of Object.values(governanceMigrations)) await migration.up(db);
}
