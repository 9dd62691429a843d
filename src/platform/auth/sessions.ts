import type { AuthDatabase } from './store/auth-database.ts';
import { hashSessionToken, issueSessionToken } from './session-token.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

type Db = DbHandle<AuthDatabase>;

/** Starts a session for a user in a tenant and returns the token for the cookie. */
export async function createSession(
  trx: Db,
  input: { userId: string; tenantId: string; ttlSeconds: number },
): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = issueSessionToken();
  const expiresAt = new Date(Date.now() + input.ttlSeconds * 1000);
  await trx
    .insertInto('sessions')
    .values({ token_hash: hash, tenant_id: input.tenantId, user_id: input.userId, expires_at: expiresAt })
    .execute();
  // Expired sessions are removed here rather than by a job: sign-ins are rare and this keeps the table small.
  await trx.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
  return { token, expiresAt };
}

export async function findLiveSession(
  db: Db,
  token: string,
): Promise<{ userId: string; tenantId: string } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'tenant_id'])
    .where('token_hash', '=', hashSessionToken(token))
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row ? { userId: row.user_id, tenantId: row.tenant_id } : undefined;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashSessionToken(token)).execute();
}
