import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuthDatabase } from './store/auth-database.ts';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../kernel/errors/domain-error.ts';
import type { AuditActor } from './api-keys.ts';
import type { Permission } from './permissions.ts';
import { inAuditedTransaction } from './audited-transaction.ts';
import { isRoleName, permissionsOfRoles, type RoleName } from './roles.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

type Db = DbHandle<AuthDatabase>;

/** A member of a tenant as the tenant's administrators see it. */
export interface TenantMember {
  id: string;
  email: string;
  roles: RoleName[];
  disabled: boolean;
  createdAt: string;
}

interface ChangeContext {
  tenantId: string;
  actor: AuditActor;
  /** The changer's permissions; nobody grants or takes away more than they hold. Omit only for the operator's CLI. */
  grantorPermissions?: ReadonlySet<Permission>;
  requestId?: string;
}

/** Adds a person to a tenant with roles, creating the user on first sight of the email. */
export async function addTenantMember(
  db: DbHandle<AuthDatabase>,
  input: ChangeContext & { email: string; roles: readonly RoleName[] },
): Promise<TenantMember> {
  const email = normaliseEmail(input.email);
  return inAuditedTransaction(db, denialOf(input, 'auth.user.create_denied', 'new'), async (trx) => {
    assertMayGrant(input, input.roles);
    let user = await trx.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
    if (!user)
      user = await trx
        .insertInto('users')
        .values({ id: randomUUID(), email })
        .returning(['id'])
        .executeTakeFirstOrThrow();
    const existing = await rolesOf(trx, input.tenantId, user.id);
    if (existing.length > 0) {
      throw new Conflict(
        'users.already_member',
        'This person is already a member of the tenant. Change their roles with PUT /v1/users/{userId}/roles.',
        { userId: user.id },
      );
    }
    await insertRoles(trx, input.tenantId, user.id, input.roles, 'manual');
    await recordAuditEvent(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'auth.user.added',
      object: { type: 'user', id: user.id },
      outcome: 'success',
      details: { roles: [...input.roles] },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
    return memberOf(trx, input.tenantId, user.id);
  });
}

/** Replaces a member's roles in the tenant; audited as a role change with before and after. */
export async function setMemberRoles(
  db: DbHandle<AuthDatabase>,
  input: ChangeContext & { userId: string; roles: readonly RoleName[] },
): Promise<TenantMember> {
  return inAuditedTransaction(
    db,
    denialOf(input, 'auth.user.roles_change_denied', input.userId),
    async (trx) => {
      const before = await rolesOf(trx, input.tenantId, input.userId);
      if (before.length === 0) throw memberNotFound(input.userId);
      // Both sides count: an admin can neither make someone owner nor demote an owner.
      assertMayGrant(input, [...before, ...input.roles]);
      await assertOwnerRemains(trx, input.tenantId, input.userId, input.roles);
      await trx
        .deleteFrom('tenant_memberships')
        .where('tenant_id', '=', input.tenantId)
        .where('user_id', '=', input.userId)
        .execute();
      await insertRoles(trx, input.tenantId, input.userId, input.roles, 'manual');
      await recordAuditEvent(trx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: 'auth.user.roles_changed',
        object: { type: 'user', id: input.userId },
        outcome: 'success',
        details: { before, after: [...input.roles] },
        ...(input.requestId ? { requestId: input.requestId } : {}),
      });
      return memberOf(trx, input.tenantId, input.userId);
    },
  );
}

/** Takes every role in the tenant away from a member; their sessions there stop working at once. */
export async function removeTenantMember(
  db: DbHandle<AuthDatabase>,
  input: ChangeContext & { userId: string },
): Promise<void> {
  return inAuditedTransaction(db, denialOf(input, 'auth.user.remove_denied', input.userId), async (trx) => {
    const before = await rolesOf(trx, input.tenantId, input.userId);
    if (before.length === 0) throw memberNotFound(input.userId);
    assertMayGrant(input, before);
    await assertOwnerRemains(trx, input.tenantId, input.userId, []);
    await trx
      .deleteFrom('tenant_memberships')
      .where('tenant_id', '=', input.tenantId)
      .where('user_id', '=', input.userId)
      .execute();
    await trx
      .deleteFrom('sessions')
      .where('tenant_id', '=', input.tenantId)
      .where('user_id', '=', input.userId)
      .execute();
    await recordAuditEvent(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'auth.user.removed',
      object: { type: 'user', id: input.userId },
      outcome: 'success',
      details: { before },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
  });
}

export async function listTenantMembers(db: Db, tenantId: string): Promise<TenantMember[]> {
  const rows = await db
    .selectFrom('tenant_memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'u.disabled_at', 'u.created_at', 'm.role'])
    .where('m.tenant_id', '=', tenantId)
    .orderBy('u.created_at')
    .orderBy('u.id')
    .orderBy('m.role')
    .execute();
  const members = new Map<string, TenantMember>();
  for (const row of rows) {
    const member = members.get(row.id) ?? {
      id: row.id,
      email: row.email,
      roles: [],
      disabled: row.disabled_at !== null,
      createdAt: row.created_at.toISOString(),
    };
    if (isRoleName(row.role)) member.roles.push(row.role);
    members.set(row.id, member);
  }
  return [...members.values()];
}

export async function memberOf(db: Db, tenantId: string, userId: string): Promise<TenantMember> {
  const member = (await listTenantMembers(db, tenantId)).find((m) => m.id === userId);
  if (!member) throw memberNotFound(userId);
  return member;
}

export async function rolesOf(db: Db, tenantId: string, userId: string): Promise<RoleName[]> {
  const rows = await db
    .selectFrom('tenant_memberships')
    .select('role')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role).filter(isRoleName);
}

/** Writes membership rows; `source` tells manual grants from ones re-derived from OIDC groups. */
export async function insertRoles(
  trx: Db,
  tenantId: string,
  userId: string,
  roles: readonly RoleName[],
  source: 'manual' | 'oidc',
): Promise<void> {
  const unique = [...new Set(roles)];
  if (unique.length === 0) return;
  await trx
    .insertInto('tenant_memberships')
    .values(unique.map((role) => ({ tenant_id: tenantId, user_id: userId, role, source })))
    .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'role']).doNothing())
    .execute();
}

export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalised))
    throw new InvalidInput('users.bad_email', 'The email address is not valid.');
  return normalised;
}

function assertMayGrant(input: ChangeContext, roles: readonly RoleName[]): void {
  if (!input.grantorPermissions) return;
  const missing = [...permissionsOfRoles(roles)].filter((p) => !input.grantorPermissions?.has(p));
  if (missing.length === 0) return;
  throw new Forbidden(
    'users.escalation',
    `You cannot grant or take away roles with permissions you do not hold: ${missing.join(', ')}.`,
    { missing, roles: [...roles] },
  );
}

function denialOf(input: ChangeContext, action: string, userId: string) {
  return {
    tenantId: input.tenantId,
    actor: input.actor,
    action,
    object: { type: 'user', id: userId },
    ...(input.requestId ? { requestId: input.requestId } : {}),
  };
}

/** A tenant always keeps an owner, so nobody locks everyone out of it by accident. */
async function assertOwnerRemains(
  trx: Transaction<AuthDatabase>,
  tenantId: string,
  userId: string,
  newRoles: readonly RoleName[],
): Promise<void> {
  if (newRoles.includes('owner')) return;
  const owners = await trx
    .selectFrom('tenant_memberships')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
    .execute();
  if (owners.length === 1 && owners[0]?.user_id === userId) {
    throw new Conflict(
      'users.last_owner',
      'This is the last owner of the tenant. Make someone else owner first.',
    );
  }
}

function memberNotFound(userId: string): NotFound {
  return new NotFound(
    'users.not_found',
    `No member ${userId} in this tenant. List members with GET /v1/users.`,
    { userId },
  );
}
