import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditEventInput } from '../audit/audit-event.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuthDatabase } from './store/auth-database.ts';
import { Forbidden, InvalidInput, NotFound } from '../../kernel/errors/domain-error.ts';
import { issueApiKeyToken } from './api-key-token.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';
import { inAuditedTransaction } from './audited-transaction.ts';
import { API_KEYS_CHANNEL, forgetApiKeyInThisProcess } from './api-key-cache.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** Who performs an action, as the audit log records it. */
export type AuditActor = AuditEventInput['actor'];

/** An API key as listed: never the key itself. */
export interface ApiKeySummary {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface CreateApiKeyInput {
  tenantId: string;
  name: string;
  permissions: readonly Permission[];
  expiresAt: Date | null;
  actor: AuditActor;
  /** The creator's own permissions; a key can never hold more (no privilege escalation). Omit only for the operator's CLI. */
  grantorPermissions?: ReadonlySet<Permission>;
  requestId?: string;
}

/** Creates a key and returns it once together with its summary; only its hash is stored. */
export async function createApiKey(
  db: DbHandle<AuthDatabase>,
  input: CreateApiKeyInput,
): Promise<{ apiKey: ApiKeySummary; token: string }> {
  const permissions = [...new Set(input.permissions)].sort();
  const denial = {
    tenantId: input.tenantId,
    actor: input.actor,
    action: 'auth.apikey.create_denied',
    object: { type: 'api_key', id: 'new' },
    ...(input.requestId ? { requestId: input.requestId } : {}),
  };
  return inAuditedTransaction(db, denial, async (trx) => {
    if (permissions.length === 0)
      throw new InvalidInput('apikeys.no_permissions', 'An API key needs at least one permission or role.');
    const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length > 0)
      throw new InvalidInput('apikeys.unknown_permission', `Unknown permission(s): ${unknown.join(', ')}.`, {
        unknown,
      });
    const missing = input.grantorPermissions
      ? permissions.filter((p) => !input.grantorPermissions?.has(p))
      : [];
    if (missing.length > 0) {
      throw new Forbidden(
        'apikeys.escalation',
        `You cannot create a key with permissions you do not hold yourself: ${missing.join(', ')}.`,
        { missing },
      );
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new InvalidInput('apikeys.expiry_in_past', 'expiresAt must be in the future.');
    }
    const issued = issueApiKeyToken();
    const row = await trx
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        tenant_id: input.tenantId,
        name: input.name,
        prefix: issued.prefix,
        key_hash: issued.hash,
        permissions: JSON.stringify(permissions),
        created_by: `${input.actor.kind}:${input.actor.id}`,
        expires_at: input.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'auth.apikey.created',
      object: { type: 'api_key', id: row.id },
      outcome: 'success',
      details: { prefix: row.prefix, permissions, expiresAt: row.expires_at?.toISOString() ?? null },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
    return { apiKey: toSummary(row), token: issued.token };
  });
}

export async function listApiKeys(db: DbHandle<AuthDatabase>, tenantId: string): Promise<ApiKeySummary[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSummary);
}

/**
 * Revokes a key of the tenant at once; revoking twice is harmless and keeps the first time. As with
 * members' roles, nobody takes away a key holding permissions they do not hold themselves: an
 * admin cannot revoke the owner's key, just as they cannot demote the owner.
 */
export async function revokeApiKey(
  db: DbHandle<AuthDatabase>,
  input: {
    tenantId: string;
    id: string;
    actor: AuditActor;
    /** The revoker's own permissions. Omit only for the operator's CLI. */
    revokerPermissions?: ReadonlySet<Permission>;
    requestId?: string;
  },
): Promise<ApiKeySummary> {
  const denial = {
    tenantId: input.tenantId,
    actor: input.actor,
    action: 'auth.apikey.revoke_denied',
    object: { type: 'api_key', id: input.id },
  };
  const revoked = await inAuditedTransaction(db, denial, async (trx) => {
    const existing = await trx
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!existing)
      throw new NotFound(
        'apikeys.not_found',
        `No API key ${input.id} in this tenant. List keys with GET /v1/apikeys.`,
        { id: input.id },
      );
    const held = input.revokerPermissions;
    const beyond = held ? toSummary(existing).permissions.filter((p) => !held.has(p)) : [];
    if (beyond.length > 0) {
      throw new Forbidden(
        'apikeys.revoke_escalation',
        `You cannot revoke a key holding permissions you do not hold yourself: ${beyond.join(', ')}. Ask someone who holds them (for an owner's key, an owner).`,
        { missing: beyond },
      );
    }
    if (existing.revoked_at) return toSummary(existing);
    const row = await trx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('tenant_id', '=', input.tenantId)
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // Delivered on commit to every replica's key cache (src/auth/api-key-cache.ts).
    await sql`select pg_notify(${API_KEYS_CHANNEL}, ${row.id})`.execute(trx);
    await recordAuditEvent(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'auth.apikey.revoked',
      object: { type: 'api_key', id: row.id },
      outcome: 'success',
      details: { prefix: row.prefix },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
    return toSummary(row);
  });
  forgetApiKeyInThisProcess(input.id);
  return revoked;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  permissions: string[];
  created_by: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export function toSummary(row: ApiKeyRow): ApiKeySummary {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions as Permission[],
    createdBy: row.created_by,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
