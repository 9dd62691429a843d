import { sql, type Kysely } from 'kysely';

/** Resolves when the database answers a trivial query (readiness probes). */
export async function probeDatabase<Tables>(db: Kysely<Tables>): Promise<void> {
  await sql`select 1`.execute(db);
}
