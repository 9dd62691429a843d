import type { Permission } from './permissions.ts';

/** Who is making a request, resolved by the auth plugin before any handler runs. */
export interface Actor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  /** User id, API key id, or 'anonymous'. Never an email or name. */
  id: string;
  /** Every query a handler makes is scoped to this tenant. */
  tenantId: string;
  permissions: ReadonlySet<Permission>;
  /** How the credentials arrived; cookie-authenticated writes must also pass the CSRF check. */
  via?: 'api_key' | 'session' | 'none';
}

export function anonymousActor(tenantId: string): Actor {
  return { kind: 'anonymous', id: 'anonymous', tenantId, permissions: new Set(), via: 'none' };
}
