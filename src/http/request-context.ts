import type { Permission } from '../auth/permissions.ts';

/** Who is making a request, resolved by the auth plugin before any handler runs. */
export interface Actor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  /** User id, API key id, or 'anonymous'. Never an email or name. */
  id: string;
  /** Every query a handler makes is scoped to this tenant. */
  tenantId: string;
  permissions: ReadonlySet<Permission>;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** The permission the route requires; omit only together with `public: true`. */
    permission?: Permission;
    /** Reachable without credentials (privacy-center intake, verification, GPC, expiring downloads). */
    public?: boolean;
  }
}
