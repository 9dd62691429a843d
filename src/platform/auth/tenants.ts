import type { AuthDatabase } from './store/auth-database.ts';
import { Conflict, InvalidInput } from '../../kernel/errors/domain-error.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { createApiKey, type ApiKeySummary, type AuditActor } from './api-keys.ts';
import { permissionsOfRoles } from './roles.ts';
import { insertRoles } from './users.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

type Db = DbHandle<AuthDatabase>;

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export function assertTenantId(id: string): void {
  if (!TENANT_ID_PATTERN.test(id)) {
    throw new InvalidInput(
      'tenants.bad_id',
      `"${id}" is not a tenant id. Use 1–63 lowercase letters, digits and dashes, starting with a letter or digit.`,
      { id },
    );
  }
}

/** Creates a tenant; a clash with an existing id is a Conflict, never a silent reuse. */
export async function createTenant(db: Db, input: { id: string; name: string }): Promise<Tenant> {
  assertTenantId(input.id);
  const row = await db
    .insertInto('tenants')
    .values({ id: input.id, name: input.name })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row)
    throw new Conflict('tenants.exists', `Tenant ${input.id} already exists. Pick another id.`, {
      id: input.id,
    });
  return toTenant(row);
}

/** Creates the tenant unless it exists (bootstrap and tests). */
export async function ensureTenant(db: Db, id: string, name = id): Promise<void> {
  assertTenantId(id);
  await db
    .insertInto('tenants')
    .values({ id, name })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function tenantExists(db: Db, id: string): Promise<boolean> {
  if (!TENANT_ID_PATTERN.test(id)) return false;
  return (await db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function listTenantsById(db: Db, ids: readonly string[]): Promise<Tenant[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('tenants').selectAll().where('id', 'in', ids).orderBy('id').execute();
  return rows.map(toTenant);
}

function toTenant(row: { id: string; name: string; created_at: Date }): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString() };
}

/**
 * Creates a tenant on behalf of an actor. A user who creates one becomes its owner; a service can
 * ask for an owner key of the new tenant, returned once, since its own key stays in its own tenant.
 */
export async function createTenantFor(
  db: DbHandle<AuthDatabase>,
  input: {
    id: string;
    name: string;
    actor: AuditActor;
    actorTenantId: string;
    issueOwnerKey: boolean;
    requestId?: string;
  },
): Promise<{ tenant: Tenant; ownerKey: { apiKey: ApiKeySummary; token: string } | undefined }> {
  return db.transaction().execute(async (trx) => {
    const tenant = await createTenant(trx, input);
    if (input.actor.kind === 'user') await insertRoles(trx, tenant.id, input.actor.id, ['owner'], 'manual');
    const ownerKey = input.issueOwnerKey
      ? await createApiKey(trx, {
          tenantId: tenant.id,
          name: `owner key of ${tenant.id}`,
          permissions: [...permissionsOfRoles(['owner'])],
          expiresAt: null,
          actor: input.actor,
        })
      : undefined;
    const requestId = input.requestId ? { requestId: input.requestId } : {};
    for (const tenantId of new Set([input.actorTenantId, tenant.id])) {
      await recordAuditEvent(trx, {
        tenantId,
        actor: input.actor,
        action: 'tenants.created',
        object: { type: 'tenant', id: tenant.id },
        outcome: 'success',
        details: { ownerKeyIssued: ownerKey !== undefined },
        ...requestId,
      });
    }
    return { tenant, ownerKey };
  });
}

/** The tenants an actor manages: for a person those they own, for a key only its own. */
export async function listManagedTenants(
  db: Db,
  actor: { kind: string; id: string; tenantId: string },
): Promise<Tenant[]> {
  if (actor.kind !== 'user') return listTenantsById(db, [actor.tenantId]);
  const owned = await db
    .selectFrom('tenant_memberships')
    .select('tenant_id')
    .where('user_id', '=', actor.id)
    .where('role', '=', 'owner')
    .execute();
  return listTenantsById(
    db,
    owned.map((row) => row.tenant_id),
  );
}
