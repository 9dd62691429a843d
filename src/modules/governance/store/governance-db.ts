import type { Kysely } from 'kysely';
import type { GovernanceTables } from './governance-tables.ts';

/** A Kysely handle that sees only the governance tables. */
export type GovernanceDb = Kysely<GovernanceTables>;

/**
 * Narrows Steward's database handle (or a transaction on it) to the governance tables, so the
 * module's queries cannot reach another module's tables. The handle is the same object: a
 * transaction stays that transaction.
 */
export function governanceDb(db: object): GovernanceDb {
  return db as unknown as GovernanceDb;
}
