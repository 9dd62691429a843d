import type { Kysely } from 'kysely';
import type { Selectable } from 'kysely';
import type { WebSubjectChallengesTable, WebTables } from './web-tables.ts';

export type SubjectChallenge = Selectable<WebSubjectChallengesTable>;

/** Codes mailed to this address hash since `since`: the flood limit counts them. */
export async function countRecentChallenges(
  db: Kysely<WebTables>,
  tenantId: string,
  subjectHash: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('web_subject_challenges')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('subject_hash', '=', subjectHash)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertChallenge(
  db: Kysely<WebTables>,
  challenge: Pick<
    SubjectChallenge,
    'id' | 'tenant_id' | 'subject_hash' | 'code_hash' | 'salt' | 'expires_at'
  >,
): Promise<void> {
  await db.insertInto('web_subject_challenges').values(challenge).execute();
  // Lapsed challenges go here rather than in a job: codes are asked for rarely and the table stays small.
  // A day's grace keeps them countable by the hourly flood limit.
  await db
    .deleteFrom('web_subject_challenges')
    .where('expires_at', '<', new Date(Date.now() - 24 * 3600_000))
    .execute();
}

export async function deleteChallenge(db: Kysely<WebTables>, tenantId: string, id: string): Promise<void> {
  await db
    .deleteFrom('web_subject_challenges')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** The challenge with one more attempt counted, atomically; undefined when there is none. */
export async function countAttempt(
  db: Kysely<WebTables>,
  tenantId: string,
  id: string,
): Promise<SubjectChallenge | undefined> {
  return db
    .updateTable('web_subject_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
