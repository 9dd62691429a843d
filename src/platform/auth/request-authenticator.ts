import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuthDatabase } from './store/auth-database.ts';
import { Forbidden, Unauthenticated } from '../../kernel/errors/domain-error.ts';
import type { Actor } from './actor.ts';
import type { ApiKeyCache, VerifiedApiKey } from './api-key-cache.ts';
import type { ApiKeyLastUse } from './api-key-last-use.ts';
import { hashApiKeyToken, looksLikeApiKeyToken } from './api-key-token.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';
import { isRoleName, permissionsOfRoles, type RoleName } from './roles.ts';
import { findLiveSession } from './sessions.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

export interface RequestAuthenticator {
  /** Resolves an `Authorization: Bearer stw_…` key; throws Unauthenticated for anything not live. */
  authenticateApiKey(token: string, context: AttemptContext): Promise<Actor>;
  /** Resolves a session token from the cookie, or undefined when it is unknown or expired. */
  authenticateSession(token: string, context: AttemptContext): Promise<Actor | undefined>;
}

export interface AttemptContext {
  /** The tenant asked for with X-Steward-Tenant, if any. */
  requestedTenant: string | undefined;
  requestId: string;
}

export interface AuthenticatorCaches {
  /** Verified keys kept briefly in memory; absent: every request reads the database. */
  keys?: ApiKeyCache;
  lastUse: ApiKeyLastUse;
}

export function createRequestAuthenticator(
  db: DbHandle<AuthDatabase>,
  caches: AuthenticatorCaches,
): RequestAuthenticator {
  const { keys: cache, lastUse } = caches;
  const hashOf = tokenHashes(cache === undefined ? 0 : TOKEN_HASH_MEMO_SIZE);

  /** Expiry and tenant are checked on every use, cached or not. */
  function actorOf(key: VerifiedApiKey, context: AttemptContext): Actor | 'expired' {
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) return 'expired';
    if (context.requestedTenant !== undefined && context.requestedTenant !== key.tenantId) {
      throw new Forbidden(
        'auth.tenant_mismatch',
        'This API key belongs to another tenant than X-Steward-Tenant names. Use a key of that tenant.',
      );
    }
    return {
      kind: 'api_key',
      id: key.id,
      tenantId: key.tenantId,
      permissions: key.permissions,
      via: 'api_key',
    };
  }

  return {
    async authenticateApiKey(token, context) {
      if (!looksLikeApiKeyToken(token)) {
        throw new Unauthenticated(
          'auth.invalid_api_key',
          'The API key is malformed. Send Authorization: Bearer stw_… with a key from `steward apikey create`.',
        );
      }
      const tokenHash = hashOf(token);
      const now = Date.now();
      const cached = cache?.get(tokenHash, now);
      if (cached) {
        const actor = actorOf(cached, context);
        if (actor !== 'expired') {
          lastUse.queueIfDue(cached.id, now);
          return actor;
        }
      }
      const generation = cache?.generation ?? 0;
      const key = await db
        .selectFrom('api_keys')
        .select(['id', 'tenant_id', 'permissions', 'expires_at', 'revoked_at'])
        .where('key_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!key)
        throw new Unauthenticated(
          'auth.invalid_api_key',
          'The API key is not valid. Check it, or create a new one.',
        );
      const verified: VerifiedApiKey = {
        id: key.id,
        tenantId: key.tenant_id,
        permissions: new Set(
          key.permissions.filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p)),
        ),
        expiresAt: key.expires_at?.getTime() ?? null,
      };
      const actor = key.revoked_at ? undefined : actorOf(verified, context);
      if (!actor || actor === 'expired') {
        const refusal = key.revoked_at ? 'revoked' : 'expired';
        await recordAuditEvent(db, {
          tenantId: key.tenant_id,
          actor: { kind: 'api_key', id: key.id },
          action: 'auth.login.failed',
          object: { type: 'api_key', id: key.id },
          outcome: 'failure',
          reason: `api key ${refusal}`,
          requestId: context.requestId,
        });
        throw new Unauthenticated(
          `auth.api_key_${refusal}`,
          `The API key was ${refusal}. Ask an administrator for a new one.`,
        );
      }
      cache?.store(tokenHash, verified, generation, now);
      await lastUse.writeIfDue(key.id, now);
      return actor;
    },

    async authenticateSession(token, context) {
      const session = await findLiveSession(db, token);
      if (!session) return undefined;
      const user = await db
        .selectFrom('users')
        .select(['id', 'disabled_at'])
        .where('id', '=', session.userId)
        .executeTakeFirst();
      if (!user || user.disabled_at) return undefined;
      const tenantId = context.requestedTenant ?? session.tenantId;
      const roles = await db
        .selectFrom('tenant_memberships')
        .select('role')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', user.id)
        .execute();
      if (context.requestedTenant !== undefined && roles.length === 0) {
        throw new Forbidden(
          'auth.not_a_member',
          'You have no role in the tenant X-Steward-Tenant names. Ask its administrator for one.',
        );
      }
      // Roles are read on every request, so removing a role takes effect at once, not at next sign-in.
      const permissions = permissionsOfRoles(
        roles.map((r) => r.role).filter((r): r is RoleName => isRoleName(r)),
      );
      return { kind: 'user', id: user.id, tenantId, permissions, via: 'session' };
    },
  };
}

const TOKEN_HASH_MEMO_SIZE = 10_000;
const TOKEN_HASH_MEMO_MS = 30_000;

/**
 * SHA-256 of API keys, remembered for 30 s (the verified-key cache's lifetime) for at most `size`
 * keys: a service checking consent sends the same key thousands of times a second, and the hash was
 * the largest single cost of such a request. Only the token→hash relation is kept, which never
 * changes; whether the key is still valid is decided by the cache and the database as before, so a
 * revocation takes effect exactly as without the memo.
 */
function tokenHashes(size: number): (token: string) => string {
  const memo = new Map<string, { hash: string; until: number }>();
  return (token) => {
    if (size === 0) return hashApiKeyToken(token);
    const now = Date.now();
    const known = memo.get(token);
    if (known && known.until > now) return known.hash;
    const hash = hashApiKeyToken(token);
    if (memo.size >= size) memo.clear();
    memo.set(token, { hash, until: now + TOKEN_HASH_MEMO_MS });
    return hash;
  };
}
