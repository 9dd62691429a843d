import type { AuthDatabase } from './store/auth-database.ts';
import { createApiKey, type ApiKeySummary, type AuditActor } from './api-keys.ts';
import { parseRoleName, permissionsOfRoles } from './roles.ts';
import { ensureTenant } from './tenants.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/**
 * Issues a key holding exactly a built-in role's permissions in a tenant, creating the tenant when
 * it does not exist yet. For the operator (CLI bootstrap) and tests; the API checks escalation itself.
 */
export async function issueRoleApiKey(
  db: DbHandle<AuthDatabase>,
  input: { role: string; tenantId: string; name: string; actor: AuditActor; expiresAt?: Date | null },
): Promise<{ apiKey: ApiKeySummary; token: string }> {
  const role = parseRoleName(input.role);
  return db.transaction().execute(async (trx) => {
    await ensureTenant(trx, input.tenantId);
    return createApiKey(trx, {
      tenantId: input.tenantId,
      name: input.name,
      permissions: [...permissionsOfRoles([role])],
      expiresAt: input.expiresAt ?? null,
      actor: input.actor,
    });
  });
}
