import { z } from 'zod';
import type { SecretsServices } from '../secrets-services.ts';
import type { RouteModule } from '../../../kernel/module.ts';

const nameParams = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'letters, digits, dot, dash, underscore; at most 128'),
});
const summarySchema = z.object({
  name: z.string(),
  version: z.number().int(),
  masterKeyVersion: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/**
 * Tenant secrets, referenced elsewhere as `secret:NAME`. Values go in and never come out through the
 * API: only the service that uses a secret resolves it, at the moment of use.
 */
export const secretRoutes: RouteModule<SecretsServices> = (app, services) => {
  const { store } = services.secrets;

  app.put(
    '/secrets/:name',
    {
      config: { permission: 'secrets:manage' },
      schema: {
        tags: ['secrets'],
        operationId: 'storeSecret',
        summary: 'Store or replace a secret (write-only)',
        params: nameParams,
        body: z.object({ value: z.string().min(1).max(65_536) }).strict(),
        response: { 200: z.object({ secret: summarySchema }) },
      },
    },
    async (request) => {
      const { actor } = request;
      const secret = await store.put({
        tenantId: actor.tenantId,
        name: request.params.name,
        value: request.body.value,
        actor: { kind: actor.kind, id: actor.id },
        requestId: request.id,
      });
      return { secret };
    },
  );

  app.get(
    '/secrets',
    {
      config: { permission: 'secrets:manage' },
      schema: {
        tags: ['secrets'],
        summary: "List the tenant's secrets (names and versions only)",
        response: { 200: z.object({ secrets: z.array(summarySchema) }) },
      },
    },
    async (request) => ({ secrets: await store.list(request.actor.tenantId) }),
  );

  app.delete(
    '/secrets/:name',
    {
      config: { permission: 'secrets:manage' },
      schema: {
        tags: ['secrets'],
        summary: 'Delete a secret',
        params: nameParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { actor } = request;
      await store.remove({
        tenantId: actor.tenantId,
        name: request.params.name,
        actor: { kind: actor.kind, id: actor.id },
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );
};
