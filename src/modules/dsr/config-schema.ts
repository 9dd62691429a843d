import { z } from 'zod';

const secretReference = z
  .string()
  .regex(/^(env|file):.+/, 'must be a secret reference: env:NAME or file:/path')
  .describe('A secret reference (env:NAME or file:/path), never the secret itself.');

export const smtpSchema = z
  .object({
    host: z
      .string()
      .default('127.0.0.1')
      .describe('SMTP server that sends verification codes and download links.'),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z
      .boolean()
      .default(false)
      .describe('TLS from the first byte (port 465). Otherwise STARTTLS is used when offered.'),
    requireTls: z.boolean().default(false).describe('Refuse to send unless the server offers STARTTLS.'),
    user: z.string().optional(),
    password: secretReference.optional(),
    rejectUnauthorized: z
      .boolean()
      .default(true)
      .describe('Check the server certificate; turn off only for a test server.'),
    connectionTimeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();

const verificationSchema = z
  .object({
    codeTtlMinutes: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(10)
      .describe('How long a one-time code is valid.'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(5)
      .describe('Wrong guesses before a code is burnt and a new one is needed.'),
    maxCodes: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(5)
      .describe('Codes one request may receive; when the last is burnt the request is denied.'),
    resendIntervalSeconds: z
      .number()
      .int()
      .min(0)
      .default(60)
      .describe('Minimum time between two codes for one request.'),
    abandonAfterDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('A request whose identity is still not verified after this many days is denied.'),
  })
  .strict();

const deadlinesSchema = z
  .object({
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'))
      .default([])
      .describe(
        'Days that are not business days (besides Saturday and Sunday), for the CCPA 10-business-day confirmation.',
      ),
  })
  .strict();

const packagesSchema = z
  .object({
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe('Access packages are deleted this many days after they were built.'),
    linkTtlDays: z.number().int().min(1).max(90).default(7).describe('How long a download link stays valid.'),
    maxDownloads: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe(
        'Downloads one link allows; then a new link is needed (a new link also ends the previous one).',
      ),
  })
  .strict();

const executionSchema = z
  .object({
    stepTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(900)
      .default(600)
      .describe(
        "A request step running longer than this is aborted and retried (at most 900, within the job's 16-minute timeout). A crashed worker's step does not wait for it: it is taken over about half a minute after its heartbeat stops.",
      ),
    maxStepAttempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(4)
      .describe('Attempts of one step before it is given up.'),
    stallTimeoutMinutes: z
      .number()
      .min(1)
      .default(120)
      .describe(
        'A request in progress without any step activity for this long is ended (failed or partially completed) by the watchdog.',
      ),
  })
  .strict();

/** The `dsr` section of steward.yaml: data subject requests. */
export const dsrConfigSchema = z
  .object({
    dataDir: z
      .string()
      .default('./.steward/dsr')
      .describe(
        'Where encrypted access packages and staging files are kept. Shared by all processes of one installation.',
      ),
    keyRef: secretReference
      .optional()
      .describe(
        'Secret (at least 32 characters) that keys identity hashes and encrypts identities and packages. Default: a key generated once in dataDir/dsr.key.',
      ),
    publicBaseUrl: z
      .string()
      .url()
      .optional()
      .describe(
        'Public address of the API, used in download links sent to requesters (e.g. https://privacy.example.com). Default: http://server.host:server.port.',
      ),
    from: z
      .string()
      .default('Privacy team <privacy@localhost>')
      .describe('Sender of verification and completion emails.'),
    // Optional, not defaulted: whether one is configured decides where the demo's mail goes (`outbox`).
    smtp: smtpSchema
      .optional()
      .describe(
        'SMTP server for verification codes, notices and download links. Unset: 127.0.0.1:587, or the outbox with the demo on.',
      ),
    outbox: z
      .boolean()
      .optional()
      .describe(
        "Keep requesters' mail in Steward's local outbox (`steward demo mail` shows it) instead of sending it, to try verification without a mail server. Default: on with the demo when dsr.smtp is not set.",
      ),
    approvalRequired: z
      .array(z.enum(['access', 'portability', 'erasure', 'rectification', 'restriction', 'objection']))
      .default(['erasure'])
      .describe('Request types that wait for a person with dsr:approve after verification.'),
    duplicateWindowDays: z
      .number()
      .int()
      .min(0)
      .default(30)
      .describe(
        'An open request of the same type for the same identity within this many days is a duplicate.',
      ),
    verification: verificationSchema.default(verificationSchema.parse({})),
    deadlines: deadlinesSchema.default(deadlinesSchema.parse({})),
    packages: packagesSchema.default(packagesSchema.parse({})),
    execution: executionSchema.default(executionSchema.parse({})),
  })
  .strict();

export type DsrConfig = z.infer<typeof dsrConfigSchema>;
