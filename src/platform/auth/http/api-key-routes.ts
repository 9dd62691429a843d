import { z } from 'zod';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { AuthServices } from '../auth-services.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../api-keys.ts';
import {
  apiKeySummarySchema,
  issuedApiKeySchema,
  permissionSchema,
  roleSchema,
  uuidParam,
} from './auth-route-schemas.ts';
import { permissionsOfRoles } from '../roles.ts';

const DEFAULT_KEY_LIFETIME_MS = 365 * 24 * 3600 * 1000;

const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "shop backend".'),
    role: roleSchema.optional().describe("Give the key this role's permissions…"),
    permissions: z
      .array(permissionSchema)
      .max(64)
      .optional()
      .describe('…or exactly these permissions (both together are combined).'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the key stops working; default one year from now.'),
  })
  .strict();

/** Service credentials of the actor's tenant; a key never gets more than its creator holds. */
export function registerApiKeyRoutes(app: StewardApp, services: AuthServices): void {
  const { db } = services.database;

  app.post(
    '/apikeys',
    {
      config: { permission: 'apikeys:manage' },
      schema: {
        tags: ['api keys'],
        operationId: 'createApiKey',
        summary: 'Create an API key (shown once)',
        body: createApiKeyBody,
        response: { 201: issuedApiKeySchema },
      },
    },
    async (request, reply) => {
      const { body, actor } = request;
      if (!body.role && !body.permissions?.length) {
        throw new InvalidInput('apikeys.no_permissions', 'Give the key a role or a list of permissions.');
      }
      const permissions = new Set([
        ...(body.role ? permissionsOfRoles([body.role]) : []),
        ...(body.permissions ?? []),
      ]);
      const created = await createApiKey(db, {
        tenantId: actor.tenantId,
        name: body.name,
        permissions: [...permissions],
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : new Date(Date.now() + DEFAULT_KEY_LIFETIME_MS),
        actor: { kind: actor.kind, id: actor.id },
        grantorPermissions: actor.permissions,
        requestId: request.id,
      });
      return reply.status(201).send({ apiKey: created.apiKey, key: created.token });
    },
  );

  app.get(
    '/apikeys',
    {
      config: { permission: 'apikeys:manage' },
      schema: {
        tags: ['api keys'],
        operationId: 'listApiKeys',
        summary: "List the tenant's API keys",
        response: { 200: z.object({ apiKeys: z.array(apiKeySummarySchema) }) },
      },
    },
    async (request) => ({ apiKeys: await listApiKeys(db, request.actor.tenantId) }),
  );

  app.delete(
    '/apikeys/:apiKeyId',
    {
      config: { permission: 'apikeys:manage' },
      schema: {
        tags: ['api keys'],
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        params: z.object({ apiKeyId: uuidParam }),
        response: { 200: z.object({ apiKey: apiKeySummarySchema }) },
      },
    },
    async (request) => {
      const { actor } = request;
      const apiKey = await revokeApiKey(db, {
        tenantId: actor.tenantId,
        id: request.params.apiKeyId,
        actor: { kind: actor.kind, id: actor.id },
        revokerPermissions: actor.permissions,
        requestId: request.id,
      });
      return { apiKey };
    },
  );
}
