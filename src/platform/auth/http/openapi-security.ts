import type { RouteAccessConfig } from '../../../kernel/http/openapi-conventions.ts';
import { SESSION_COOKIE } from '../auth-plugin.ts';
import { ROLE_NAMES, ROLE_PERMISSIONS } from '../roles.ts';
import type { Permission } from '../permissions.ts';

/** How a caller authenticates, as the OpenAPI document states it (Swagger UI's Authorize button reads it). */
export const AUTH_SECURITY_SCHEMES = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'stw_…',
    description:
      'An API key, created with `steward apikey create --role <role>` or POST /v1/apikeys: `Authorization: Bearer stw_…`. ' +
      'It acts in its own tenant with its role; X-Steward-Tenant may name that tenant only.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The console session set by single sign-on. Changes (POST, PUT, PATCH, DELETE) must echo the __Host-steward_csrf cookie in X-CSRF-Token.',
  },
} as const;

/** Either credential opens a route that declares a permission; a public route needs none. */
export function securityRequirementOf(config: RouteAccessConfig): Record<string, string[]>[] {
  return config.permission ? [{ apiKey: [] }, { session: [] }] : [];
}

/** "Requires the permission dsr:approve (roles: owner, admin, privacy_officer)." for the route's description. */
export function accessNoteOf(config: RouteAccessConfig): string | undefined {
  if (config.public) return 'Public: no credentials needed.';
  if (!config.permission) return undefined;
  const roles = ROLE_NAMES.filter((role) => ROLE_PERMISSIONS[role].has(config.permission as Permission));
  return `Requires the permission \`${config.permission}\` (roles: ${roles.join(', ')}).`;
}
