import type { ColumnType, Generated, Kysely } from 'kysely';

/**
 * A one-time code mailed to a person who wants to manage their consent in the privacy center.
 * Neither the address nor the code is stored: the address as its keyed lookup hash, the code as
 * its scrypt hash.
 */
export interface WebSubjectChallengesTable {
  id: string;
  tenant_id: string;
  subject_hash: string;
  code_hash: string;
  salt: string;
  attempts: Generated<number>;
  expires_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface WebTables {
  web_subject_challenges: WebSubjectChallengesTable;
}

/** The web module's queries see its own tables only (STYLE.md: store/ narrowed to the module). */
export function webStore<T>(db: Kysely<T>): Kysely<WebTables> {
  return db as unknown as Kysely<WebTables>;
}
