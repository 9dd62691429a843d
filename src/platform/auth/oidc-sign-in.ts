import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuthDatabase } from './store/auth-database.ts';
import { DEFAULT_TENANT_ID } from '../../kernel/database/core-tables.ts';
import { Forbidden, Unauthenticated } from '../../kernel/errors/domain-error.ts';
import type { OidcConfig } from './auth-config-schema.ts';
import type { VerifiedIdentity } from './oidc-client.ts';
import type { RoleName } from './roles.ts';
import { createSession } from './sessions.ts';
import { insertRoles, normaliseEmail, rolesOf } from './users.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

export interface SignedIn {
  userId: string;
  tenantId: string;
  sessionToken: string;
  expiresAt: Date;
}

export interface SignInContext {
  requestedTenant: string | undefined;
  sessionTtlSeconds: number;
  requestId: string;
  sourceAddress: string;
}

/** Roles per tenant that the provider's groups grant under `auth.oidc.roleMapping`. */
export function rolesFromGroups(
  groups: readonly string[],
  mapping: OidcConfig['roleMapping'],
): Map<string, RoleName[]> {
  const byTenant = new Map<string, RoleName[]>();
  for (const rule of mapping) {
    if (!groups.includes(rule.group)) continue;
    const roles = byTenant.get(rule.tenant) ?? [];
    if (!roles.includes(rule.role)) roles.push(rule.role);
    byTenant.set(rule.tenant, roles);
  }
  return byTenant;
}

/**
 * Turns a verified identity into a session. The roles derived from groups are re-derived at every
 * sign-in (leaving a group at the provider removes the role here); manually granted roles stay.
 */
export async function signInWithOidc(
  db: DbHandle<AuthDatabase>,
  identity: VerifiedIdentity,
  config: OidcConfig,
  context: SignInContext,
): Promise<SignedIn> {
  if (!identity.email)
    throw new Unauthenticated(
      'auth.oidc_no_email',
      'The provider did not send an email address. Request the email scope or claim.',
    );
  const email = normaliseEmail(identity.email);
  const granted = rolesFromGroups(identity.groups, config.roleMapping);
  const audit = { requestId: context.requestId, sourceAddress: context.sourceAddress };
  return db.transaction().execute(async (trx) => {
    const user = await findOrLinkUser(trx, `${identity.issuer}|${identity.subject}`, email, granted.size > 0);
    const existingTenants = new Set(
      (
        await trx
          .selectFrom('tenants')
          .select('id')
          .where('id', 'in', [...granted.keys(), DEFAULT_TENANT_ID])
          .execute()
      ).map((t) => t.id),
    );
    const before = await oidcRolesByTenant(trx, user.id);
    await trx
      .deleteFrom('tenant_memberships')
      .where('user_id', '=', user.id)
      .where('source', '=', 'oidc')
      .execute();
    for (const [tenantId, roles] of granted)
      if (existingTenants.has(tenantId)) await insertRoles(trx, tenantId, user.id, roles, 'oidc');
    for (const tenantId of new Set([...before.keys(), ...granted.keys()])) {
      const was = (before.get(tenantId) ?? []).sort();
      const now = existingTenants.has(tenantId) ? [...(granted.get(tenantId) ?? [])].sort() : [];
      if (was.join() === now.join() || !existingTenants.has(tenantId)) continue;
      await recordAuditEvent(trx, {
        tenantId,
        actor: { kind: 'user', id: user.id },
        action: 'auth.user.roles_changed',
        object: { type: 'user', id: user.id },
        outcome: 'success',
        reason: 'groups at the OpenID provider',
        details: { before: was, after: now, source: 'oidc' },
        ...audit,
      });
    }
    const tenantId = await sessionTenant(trx, user.id, context.requestedTenant, [...granted.keys()]);
    const session = await createSession(trx, {
      userId: user.id,
      tenantId,
      ttlSeconds: context.sessionTtlSeconds,
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor: { kind: 'user', id: user.id },
      action: 'auth.login.succeeded',
      object: { type: 'user', id: user.id },
      outcome: 'success',
      details: { method: 'oidc', roles: await rolesOf(trx, tenantId, user.id) },
      ...audit,
    });
    return { userId: user.id, tenantId, sessionToken: session.token, expiresAt: session.expiresAt };
  });
}

async function findOrLinkUser(
  trx: Transaction<AuthDatabase>,
  oidcIdentity: string,
  email: string,
  mayCreate: boolean,
): Promise<{ id: string }> {
  const linked = await trx
    .selectFrom('users')
    .select(['id', 'disabled_at'])
    .where('oidc_identity', '=', oidcIdentity)
    .executeTakeFirst();
  const byEmail = linked
    ? undefined
    : await trx
        .selectFrom('users')
        .select(['id', 'disabled_at', 'oidc_identity'])
        .where('email', '=', email)
        .executeTakeFirst();
  if (byEmail?.oidc_identity) {
    throw new Forbidden(
      'auth.identity_mismatch',
      'This email belongs to a Steward user linked to another account at the provider. Ask an administrator.',
    );
  }
  const user = linked ?? byEmail;
  if (user?.disabled_at)
    throw new Forbidden('auth.user_disabled', 'This user is disabled in Steward. Ask an administrator.');
  if (user) {
    if (!linked)
      await trx.updateTable('users').set({ oidc_identity: oidcIdentity }).where('id', '=', user.id).execute();
    return { id: user.id };
  }
  if (!mayCreate) throw noRole();
  return trx
    .insertInto('users')
    .values({ id: randomUUID(), email, oidc_identity: oidcIdentity })
    .returning('id')
    .executeTakeFirstOrThrow();
}

async function oidcRolesByTenant(
  trx: Transaction<AuthDatabase>,
  userId: string,
): Promise<Map<string, RoleName[]>> {
  const rows = await trx
    .selectFrom('tenant_memberships')
    .select(['tenant_id', 'role'])
    .where('user_id', '=', userId)
    .where('source', '=', 'oidc')
    .execute();
  const byTenant = new Map<string, RoleName[]>();
  for (const row of rows)
    byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.role as RoleName]);
  return byTenant;
}

/** The tenant asked for if the person has a role there, else the default tenant, else the first mapped one. */
async function sessionTenant(
  trx: Transaction<AuthDatabase>,
  userId: string,
  requested: string | undefined,
  mapped: string[],
): Promise<string> {
  const tenants = (
    await trx
      .selectFrom('tenant_memberships')
      .select('tenant_id')
      .distinct()
      .where('user_id', '=', userId)
      .execute()
  ).map((r) => r.tenant_id);
  if (tenants.length === 0) throw noRole();
  if (requested && tenants.includes(requested)) return requested;
  if (tenants.includes(DEFAULT_TENANT_ID)) return DEFAULT_TENANT_ID;
  return mapped.find((t) => tenants.includes(t)) ?? (tenants.sort()[0] as string);
}

function noRole(): Forbidden {
  return new Forbidden(
    'auth.no_role',
    'You are signed in at the provider but none of your groups maps to a Steward role. Ask an administrator to add your group to auth.oidc.roleMapping.',
  );
}
