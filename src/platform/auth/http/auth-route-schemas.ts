import { z } from 'zod';
import { PERMISSIONS } from '../permissions.ts';
import { ROLE_NAMES } from '../roles.ts';

/** The schemas of the auth domain's API; they validate requests and document them in OpenAPI. */
export const permissionSchema = z.enum(PERMISSIONS);
export const roleSchema = z.enum(ROLE_NAMES);
export const tenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63');
export const uuidParam = z.uuid();

export const tenantSchema = z.object({ id: tenantIdSchema, name: z.string(), createdAt: z.iso.datetime() });

export const apiKeySummarySchema = z.object({
  id: z.uuid(),
  tenantId: tenantIdSchema,
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(permissionSchema),
  createdBy: z.string(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

/** Returned once, at creation: the key itself is never shown again. */
export const issuedApiKeySchema = z.object({
  apiKey: apiKeySummarySchema,
  key: z.string().describe('The API key. Store it now: Steward keeps only its hash.'),
});

export const memberSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  roles: z.array(roleSchema),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
});

export const actorSchema = z.object({
  kind: z.enum(['user', 'api_key', 'system', 'anonymous']),
  id: z.string(),
  tenantId: tenantIdSchema,
  permissions: z.array(permissionSchema),
});
