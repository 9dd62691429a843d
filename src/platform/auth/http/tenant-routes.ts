import { z } from 'zod';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { AuthServices } from '../auth-services.ts';
import { issuedApiKeySchema, tenantIdSchema, tenantSchema } from './auth-route-schemas.ts';
import { createTenantFor, listManagedTenants } from '../tenants.ts';

const createTenantBody = z
  .object({
    id: tenantIdSchema,
    name: z.string().trim().min(1).max(200),
    issueOwnerKey: z
      .boolean()
      .default(false)
      .describe('Also return an owner API key of the new tenant (shown once).'),
  })
  .strict();

/** Tenant administration: creating namespaces is for owners only (tenants:manage). */
export function registerTenantRoutes(app: StewardApp, services: AuthServices): void {
  const { db } = services.database;
  app.post(
    '/tenants',
    {
      config: { permission: 'tenants:manage' },
      schema: {
        tags: ['tenants'],
        summary: 'Create a tenant',
        body: createTenantBody,
        response: { 201: z.object({ tenant: tenantSchema, ownerKey: issuedApiKeySchema.optional() }) },
      },
    },
    async (request, reply) => {
      const { actor } = request;
      const created = await createTenantFor(db, {
        ...request.body,
        actor: { kind: actor.kind, id: actor.id },
        actorTenantId: actor.tenantId,
        requestId: request.id,
      });
      const ownerKey = created.ownerKey
        ? { apiKey: created.ownerKey.apiKey, key: created.ownerKey.token }
        : undefined;
      return reply.status(201).send({ tenant: created.tenant, ...(ownerKey ? { ownerKey } : {}) });
    },
  );

  app.get(
    '/tenants',
    {
      config: { permission: 'tenants:manage' },
      schema: {
        tags: ['tenants'],
        summary: 'List the tenants you manage',
        response: { 200: z.object({ tenants: z.array(tenantSchema) }) },
      },
    },
    async (request) => ({ tenants: await listManagedTenants(db, request.actor) }),
  );
}
