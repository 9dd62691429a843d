import { z } from 'zod';

/*
 * The sections of steward.yaml the kernel itself reads: the HTTP server, the database, the job
 * engine and logging. Platform services and modules add their own sections through their manifests
 * (`config: { key, schema }`); src/app/config/config-schema.ts puts them together.
 */
export const serverConfigSchema = z
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

export const databaseConfigSchema = z
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

export const jobsConfigSchema = z
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

export const loggingConfigSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export const metricsConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Serve Prometheus metrics at /metrics: on the API to keys with the metrics:read permission, or on metrics.port.',
      ),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe(
        'Serve /metrics on this port of metrics.host instead of the API, without credentials: keep it on a private network. Needed to scrape `steward worker` processes (give each its own, e.g. STEWARD_METRICS__PORT).',
      ),
    host: z.string().default('127.0.0.1').describe('Address the metrics port listens on.'),
    scrapeTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(2_000)
      .describe(
        'How long a scrape waits for the figures read from the database; slower ones are left out of that scrape.',
      ),
  })
  .strict();

export const tracingConfigSchema = z
  .object({
    otlpEndpoint: z
      .string()
      .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
      .optional()
      .describe(
        'OTLP/HTTP traces endpoint (e.g. http://otel-collector:4318/v1/traces). Absent: tracing is off and no instrumentation is loaded. Collector credentials: OTEL_EXPORTER_OTLP_HEADERS.',
      ),
    serviceName: z.string().min(1).default('steward').describe('service.name of the spans.'),
    sampleRatio: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('Share of traces kept (parent-based: a request whose caller sampled it is kept).'),
  })
  .strict();

/** The kernel's sections, each defaulted so an absent section is valid. */
export const kernelConfigSections = {
  server: serverConfigSchema.default(serverConfigSchema.parse({})),
  database: databaseConfigSchema.default(databaseConfigSchema.parse({})),
  jobs: jobsConfigSchema.default(jobsConfigSchema.parse({})),
  logging: loggingConfigSchema.default(loggingConfigSchema.parse({})),
  metrics: metricsConfigSchema.default(metricsConfigSchema.parse({})),
  tracing: tracingConfigSchema.default(tracingConfigSchema.parse({})),
};

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;
export type JobsConfig = z.infer<typeof jobsConfigSchema>;
export type LoggingConfig = z.infer<typeof loggingConfigSchema>;
export type MetricsConfig = z.infer<typeof metricsConfigSchema>;
export type TracingConfig = z.infer<typeof tracingConfigSchema>;

/** What every process reads: the kernel's part of the configuration. */
export interface KernelConfig {
  server: ServerConfig;
  database: DatabaseConfig;
  jobs: JobsConfig;
  logging: LoggingConfig;
  metrics: MetricsConfig;
  tracing: TracingConfig;
}
