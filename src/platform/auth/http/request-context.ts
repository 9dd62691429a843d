import type { Actor } from '../actor.ts';
import type { Permission } from '../permissions.ts';

export type { Actor };

/** One entry of the access table the auth plugin builds while routes are registered. */
export interface RouteAccess {
  method: string;
  url: string;
  permission: Permission | undefined;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin on every /v1 route before the handler runs. */
    actor: Actor;
  }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with what it requires (tests and docs read it). */
    routeAccessTable: readonly RouteAccess[];
  }
  interface FastifyContextConfig {
    /** The permission the route requires; omit only together with `public: true`. */
    permission?: Permission;
    /** Reachable without credentials (privacy-center intake, verification, GPC, expiring downloads). */
    public?: boolean;
  }
}
