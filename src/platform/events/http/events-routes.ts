import { z } from 'zod';
import type { EventsServices } from '../events-services.ts';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../../../kernel/module.ts';
import { listDeadLetters, replayDeadLetters } from '../dead-letters.ts';
import { networksOf } from '../webhook-address-policy.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  updateWebhook,
  type ChangeActor,
} from '../webhook-store.ts';

const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  batchMax: z.number().int().min(1).max(1000),
  createdAt: z.string(),
  updatedAt: z.string(),
  secret: z
    .string()
    .optional()
    .describe(
      'The Standard Webhooks signing secret (whsec_ and the base64 key): verify deliveries with any Standard Webhooks library. Shown only on creation and rotation (kept encrypted in the secret store).',
    ),
});
const webhookInput = z
  .object({
    url: z.string().url(),
    description: z.string().max(500).optional(),
    eventTypes: z
      .array(z.string())
      .min(1)
      .max(50)
      .optional()
      .describe('consent.withdrawn, consent.*, or * (default).'),
    active: z.boolean().optional(),
    batchMax: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Opt-in batching: above 1, up to this many events of one subject per request, in order, always as a CloudEvents JSON batch (application/cloudevents-batch+json, an array, even of one event), signed like a single event with webhook-id batch_<first event id>_<count>. Default 1: one event per request.',
      ),
  })
  .strict()
  .meta({
    examples: [
      {
        url: 'https://hooks.example.com/steward',
        description: 'Propagate withdrawals to the CRM',
        eventTypes: ['consent.withdrawn', 'dsr.*'],
      },
    ],
  });
const idParams = z.object({ id: z.string().uuid() });
const deadLetterSchema = z.object({
  deliveryId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  destination: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  eventTime: z.string(),
  deadSince: z.string(),
});

/** Webhook registrations (/v1/webhooks) and the dead-letter list with replay (/v1/events/dead-letters). */
export const eventsRoutes: RouteModule<EventsServices> = (app, services) => {
  const { db } = services.database;
  const addressPolicy = networksOf(services.config.events.webhookAllowedNetworks);

  app.post(
    '/webhooks',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        summary: 'Register a webhook (the response holds its signing secret, once)',
        body: webhookInput,
        response: { 201: z.object({ webhook: webhookSchema }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        webhook: await createWebhook(
          db,
          services.secrets.store,
          actorOf(request),
          request.body,
          addressPolicy,
        ),
      }),
  );

  app.get(
    '/webhooks',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['events'],
        summary: 'List webhooks',
        response: { 200: z.object({ webhooks: z.array(webhookSchema) }) },
      },
    },
    async (request) => ({ webhooks: await listWebhooks(db, request.actor.tenantId) }),
  );

  app.get(
    '/webhooks/:id',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['events'],
        summary: 'A webhook',
        params: idParams,
        response: { 200: z.object({ webhook: webhookSchema }) },
      },
    },
    async (request) => ({ webhook: await getWebhook(db, request.actor.tenantId, request.params.id) }),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        summary: 'Change a webhook; rotateSecret issues a new signing secret',
        params: idParams,
        body: webhookInput.partial().extend({ rotateSecret: z.boolean().optional() }).strict(),
        response: { 200: z.object({ webhook: webhookSchema }) },
      },
    },
    async (request) => ({
      webhook: await updateWebhook(
        db,
        services.secrets.store,
        actorOf(request),
        request.params.id,
        request.body,
        addressPolicy,
      ),
    }),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        summary: 'Remove a webhook and its undelivered events',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteWebhook(db, services.secrets.store, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/events/dead-letters',
    {
      config: { permission: 'events:read' },
      schema: {
        tags: ['events'],
        operationId: 'listDeadLetters',
        summary: 'Deliveries that failed for the whole retry window',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
        response: { 200: z.object({ deadLetters: z.array(deadLetterSchema) }) },
      },
    },
    async (request) => ({
      deadLetters: await listDeadLetters(db, request.actor.tenantId, { limit: request.query.limit }),
    }),
  );

  app.post(
    '/events/dead-letters/replay',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        operationId: 'replayDeadLetters',
        summary: 'Queue dead-lettered deliveries again (all, or the given ids) with a fresh retry window',
        body: z.object({ deliveryIds: z.array(z.string()).max(10_000).optional() }).strict(),
        response: { 200: z.object({ replayed: z.number().int() }) },
      },
    },
    async (request) => ({
      replayed: await replayDeadLetters(
        db,
        actorOf(request),
        services.config.events.retryForHours,
        request.body.deliveryIds,
      ),
    }),
  );
};

function actorOf(request: FastifyRequest): ChangeActor {
  return { kind: request.actor.kind, id: request.actor.id, tenantId: request.actor.tenantId };
}
