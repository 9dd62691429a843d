import { z } from 'zod';
import { isNetwork } from './webhook-address-policy.ts';

/** The `events` section of steward.yaml: how outbox events reach webhooks and NATS. */
export const eventsConfigSchema = z
  .object({
    nats: z
      .object({
        url: z
          .string()
          .optional()
          .describe(
            'NATS server, e.g. nats://127.0.0.1:4222. When set, every event is published to JetStream as steward.<topic>.',
          ),
        stream: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default('STEWARD')
          .describe('JetStream stream (created if missing) that captures steward.>.'),
        maxAgeHours: z
          .number()
          .positive()
          .default(168)
          .describe('Message age limit set when Steward creates the stream.'),
      })
      .strict()
      .default({ stream: 'STEWARD', maxAgeHours: 168 }),
    webhookAllowedNetworks: z
      .array(z.string().refine(isNetwork, 'must be an address or a network in CIDR form, e.g. 10.20.0.0/16'))
      .default([])
      .describe(
        'Private, loopback or link-local networks webhook receivers may be in (CIDR, e.g. 10.20.0.0/16, or one address). By default only public addresses: a webhook into the internal network or the cloud metadata service (169.254.169.254) is refused at registration and at every connection.',
      ),
    webhookTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(10_000)
      .describe('A webhook call taking longer counts as failed and is retried.'),
    retryForHours: z
      .number()
      .positive()
      .max(24 * 14)
      .default(24)
      .describe(
        'A delivery still failing this long after its event was written goes to the dead-letter list.',
      ),
    retryInitialSeconds: z
      .number()
      .min(0.01)
      .default(5)
      .describe('Delay before the first retry; doubles each attempt.'),
    retryMaxSeconds: z.number().min(0.01).default(3600).describe('Longest delay between two attempts.'),
    dispatcher: z
      .object({
        batchSize: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .default(1000)
          .describe('Deliveries one dispatcher claims at a time (memory per round grows with it).'),
        streamBatch: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(500)
          .describe(
            "Events of one subject's stream claimed together and delivered in order: NATS publishes pipelined, a webhook that accepts batches (batchMax) gets them in as few requests as it allows, any other webhook one after the other without a round trip to the database between.",
          ),
        concurrency: z
          .number()
          .int()
          .min(1)
          .max(256)
          .default(16)
          .describe('Streams delivered at once per dispatcher.'),
        idlePollMs: z
          .number()
          .int()
          .min(10)
          .max(60_000)
          .default(500)
          .describe('How often an idle dispatcher looks for new events.'),
        leaseSeconds: z
          .number()
          .int()
          .min(5)
          .default(300)
          .describe('A claimed delivery whose worker vanished is retried after this.'),
      })
      .strict()
      .default({ batchSize: 1000, streamBatch: 500, concurrency: 16, idlePollMs: 500, leaseSeconds: 300 }),
    keepDeliveredDays: z
      .number()
      .int()
      .min(1)
      .default(7)
      .describe('Delivered events are removed from the outbox after this many days.'),
  })
  .strict();

export type EventsConfig = z.infer<typeof eventsConfigSchema>;
