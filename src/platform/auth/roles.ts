import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';

/** The built-in roles. A membership or an API key holds one or more; permissions are their union. */
export const ROLE_NAMES = [
  'owner',
  'admin',
  'privacy_officer',
  'request_agent',
  'auditor',
  'developer',
] as const;

export type RoleName = (typeof ROLE_NAMES)[number];

const ALL = new Set<Permission>(PERMISSIONS);
const without = (...excluded: Permission[]): Permission[] => PERMISSIONS.filter((p) => !excluded.includes(p));

/**
 * Least privilege (GDPR Art. 25(2), Art. 32(4)): each role holds only what its job needs.
 * - owner: everything, including creating tenants.
 * - admin: runs one tenant (users, keys, secrets) but cannot create tenants or read the
 *   installation's metrics (they count every tenant's work).
 *   A Prometheus key: `steward apikey create --permission metrics:read`.
 * - privacy_officer: decides data subject requests, consent and retention; reads the audit log.
 *   As the DPO's seat it keeps the governance records (Art. 30 record, DPIAs with the DPO's advice
 *   under Art. 35(2), the Art. 33(5) breach register, processors) and reads masked-copy reports to
 *   account for every copy made; it does not start copies (that reads production data and writes
 *   wherever the caller points it — an operator's act, owner/admin only).
 * - request_agent: handles requests day to day; cannot approve them (four-eyes with the officer).
 *   Nothing of governance: the breach register and DPIAs are need-to-know, and the purposes a
 *   requester is told about come from the data map it already reads.
 * - auditor: reads everything, including the audit log, the governance records and masked-copy
 *   reports, and changes nothing.
 * - developer: maintains the data map; no permission that reveals personal data. Reads masking
 *   plans and reports (names, transformers, counts — never a value) to check that the data map's
 *   categories mask what they should; runs `steward datamap check` in CI through the CLI, so it
 *   needs no governance permission (which would open the breach register).
 */
export const ROLE_PERMISSIONS: Record<RoleName, ReadonlySet<Permission>> = {
  owner: ALL,
  admin: new Set(without('tenants:manage', 'metrics:read')),
  privacy_officer: new Set<Permission>([
    'profile:read',
    'datamap:read',
    'dsr:read',
    'dsr:write',
    'dsr:approve',
    'dsr:export',
    'consent:check',
    'consent:read',
    'consent:write',
    'notices:write',
    'events:read',
    'retention:read',
    'retention:write',
    'retention:run',
    'audit:read',
    'jobs:read',
    'governance:read',
    'governance:write',
    'masking:read',
  ]),
  request_agent: new Set<Permission>([
    'profile:read',
    'datamap:read',
    'dsr:read',
    'dsr:write',
    'dsr:export',
    'consent:check',
    'consent:read',
  ]),
  auditor: new Set<Permission>([
    'profile:read',
    'datamap:read',
    'dsr:read',
    'consent:read',
    'events:read',
    'retention:read',
    'audit:read',
    'jobs:read',
    'governance:read',
    'masking:read',
  ]),
  developer: new Set<Permission>(['profile:read', 'datamap:read', 'datamap:write', 'masking:read']),
};

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

export function parseRoleName(value: string): RoleName {
  if (!isRoleName(value)) {
    throw new InvalidInput(
      'auth.unknown_role',
      `"${value}" is not a role. Use one of: ${ROLE_NAMES.join(', ')}.`,
      { role: value },
    );
  }
  return value;
}

/** The union of the permissions of the given roles. */
export function permissionsOfRoles(roles: readonly RoleName[]): Set<Permission> {
  const result = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role]) result.add(permission);
  return result;
}

/** True when every permission of `wanted` is already held: granting it cannot escalate privilege. */
export function isSubsetOf(wanted: Iterable<Permission>, held: ReadonlySet<Permission>): boolean {
  for (const permission of wanted) if (!held.has(permission)) return false;
  return true;
}
