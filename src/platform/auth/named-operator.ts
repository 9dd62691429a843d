import { Forbidden } from '../../kernel/errors/domain-error.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { Permission } from './permissions.ts';
import { isRoleName, ROLE_PERMISSIONS } from './roles.ts';
import type { AuthDatabase } from './store/auth-database.ts';

/** A person the local CLI acts for (`--as`), as the audit log names them: an id, never an e-mail. */
export interface NamedOperator {
  kind: 'user' | 'api_key';
  id: string;
}

/**
 * The CLI runs as one operator identity (`steward-cli`); where a second person is needed, the
 * operator names who they are with `--as`: a user (by id or e-mail) or an API key id. The name must
 * be an active user holding `permission` through a role in some tenant, or an unrevoked, unexpired
 * API key holding it. This is the operator's word for who acts, checked to be a real, entitled
 * identity and recorded in the audit log; it is not a proof of identity (whoever runs the CLI holds
 * the database credentials).
 */
export async function resolveNamedOperator(
  db: DbHandle<AuthDatabase>,
  name: string,
  permission: Permission,
): Promise<NamedOperator> {
  const wanted = name.trim();
  const roles = Object.entries(ROLE_PERMISSIONS)
    .filter(([, permissions]) => permissions.has(permission))
    .map(([role]) => role)
    .filter(isRoleName);
  const user = await db
    .selectFrom('users')
    .innerJoin('tenant_memberships', 'tenant_memberships.user_id', 'users.id')
    .select('users.id')
    .where((eb) => eb.or([eb('users.id', '=', wanted), eb('users.email', '=', wanted.toLowerCase())]))
    .where('users.disabled_at', 'is', null)
    .where('tenant_memberships.role', 'in', roles)
    .executeTakeFirst();
  if (user) return { kind: 'user', id: user.id };
  const key = await db
    .selectFrom('api_keys')
    .select(['id', 'permissions'])
    .where('id', '=', wanted)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
  if (key && key.permissions.includes(permission)) return { kind: 'api_key', id: key.id };
  // The value is not repeated: it may be an e-mail address.
  throw new Forbidden(
    'auth.unknown_operator',
    `--as names no active user (by id or e-mail) holding ${permission} through a role (${roles.join(', ')}), nor an unrevoked API key holding it. Name yourself as Steward knows you: \`steward apikey list --tenant …\` shows key ids.`,
    { permission },
  );
}
