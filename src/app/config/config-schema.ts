import { z } from 'zod';
import { auditConfigSchema } from '../../platform/audit/audit-config-schema.ts';
import { consentConfigSchema } from '../../modules/consent/config-schema.ts';
import { eventsConfigSchema } from '../../platform/events/events-config-schema.ts';
import { retentionConfigSchema } from '../../modules/retention/config-schema.ts';
import { authConfigSchema } from '../../platform/auth/auth-config-schema.ts';
import { dsrConfigSchema } from '../../modules/dsr/config-schema.ts';
import { taxonomyConfigSchema } from '../../platform/taxonomy/taxonomy-config-schema.ts';
import { webConfigSchema } from '../../modules/web/config-schema.ts';

/**
 * The whole of steward.yaml. Every key has a default, so an empty file (or none) runs Steward on its
 * embedded database. Domains add their own section here as a schema exported from their folder.
 * `npm run schemas` writes the JSON Schema that editors use for autocompletion.
 */
const serverSchema = z
  .object({
    host: z.string().default('127.0.0.1').describe('Address the HTTP API listens on.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8080)
      .describe('TCP port of the HTTP API (0 picks a free one).'),
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(1_048_576)
      .describe('Largest request body accepted, in bytes; larger bodies get HTTP 413.'),
    rateLimit: z
      .object({
        max: z.number().int().min(1).default(600).describe('Requests allowed per client per time window.'),
        timeWindowMs: z.number().int().min(1000).default(60_000),
      })
      .strict()
      .default({ max: 600, timeWindowMs: 60_000 }),
    trustProxy: z
      .boolean()
      .default(false)
      .describe('Trust X-Forwarded-* headers (only behind a proxy you run).'),
    shutdownGraceMs: z
      .number()
      .int()
      .min(0)
      .default(15_000)
      .describe('How long graceful shutdown waits for requests and running jobs to finish.'),
  })
  .strict();

const databaseSchema = z
  .object({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional()
      .describe(
        'PostgreSQL connection URL. When absent Steward starts (or joins) its own embedded PostgreSQL server in dataDir.',
      ),
    dataDir: z
      .string()
      .default('./.steward/pg')
      .describe(
        'Data directory of the embedded PostgreSQL server (used when url is absent). It listens only on a Unix socket in this folder; the first Steward process starts it and the last one stops it.',
      ),
    poolSize: z.number().int().min(1).max(200).default(10).describe('PostgreSQL connections per process.'),
    connectAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(8)
      .describe('Connection attempts at start-up (exponential backoff) before giving up.'),
    statementTimeoutMs: z.number().int().min(0).default(30_000),
  })
  .strict();

const jobsSchema = z
  .object({
    runInServe: z
      .boolean()
      .default(true)
      .describe(
        'Run the job worker inside `steward serve`. Set false when you run `steward worker` processes.',
      ),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Jobs one worker process runs at once.'),
    pollIntervalSeconds: z.number().min(0.5).max(60).default(2),
  })
  .strict();

const loggingSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

const demoSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Create and register the demo "shop" system.'),
    database: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'must be a lower-case database name (letters, digits, underscore)')
      .default('steward_demo_shop')
      .describe(
        "The demo shop's database, created on Steward's own PostgreSQL server (embedded or database.url).",
      ),
    dataDir: z
      .string()
      .default('./.steward/demo')
      .describe("Folder for the demo's files: the shop's data map and the newcomer's owner API key."),
    people: z.number().int().min(10).max(100_000).default(3000).describe('People seeded into the demo shop.'),
  })
  .strict();

const datamapSchema = z
  .object({
    path: z
      .string()
      .default('./datamap')
      .describe('Folder of data-map YAML files (systems, collections, fields).'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    server: serverSchema.default(serverSchema.parse({})),
    database: databaseSchema.default(databaseSchema.parse({})),
    jobs: jobsSchema.default(jobsSchema.parse({})),
    logging: loggingSchema.default(loggingSchema.parse({})),
    datamap: datamapSchema.default(datamapSchema.parse({})),
    taxonomy: taxonomyConfigSchema.default(taxonomyConfigSchema.parse({})),
    demo: demoSchema.default(demoSchema.parse({})),
    audit: auditConfigSchema.default(auditConfigSchema.parse({})),
    auth: authConfigSchema.default(authConfigSchema.parse({})),
    dsr: dsrConfigSchema.default(dsrConfigSchema.parse({})),
    consent: consentConfigSchema.default(consentConfigSchema.parse({})),
    events: eventsConfigSchema.default(eventsConfigSchema.parse({})),
    retention: retentionConfigSchema.default(retentionConfigSchema.parse({})),
    web: webConfigSchema.default(webConfigSchema.parse({})),
  })
  .strict();

export type StewardConfig = z.infer<typeof configSchema>;
