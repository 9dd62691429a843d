import { z } from 'zod';

/** The `consent` section of steward.yaml. */
export const consentConfigSchema = z
  .object({
    validityMonths: z
      .number()
      .int()
      .min(1)
      .max(120)
      .default(12)
      .describe(
        'How long a given consent lasts unless its notice sets its own validity; then it expires and must be renewed.',
      ),
    reminderLeadDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .describe('Days before expiry when a consent.expiring reminder event is emitted (0 = no reminders).'),
    proofKey: z
      .string()
      .regex(/^(env|file):.+/, 'must be a secret reference: env:NAME or file:/path')
      .optional()
      .describe(
        'Key that HMACs IP addresses and user agents kept as proof of consent. Unset: a random key per tenant, kept in the database.',
      ),
    checkTimeoutMs: z
      .number()
      .int()
      .min(10)
      .max(60_000)
      .default(2_000)
      .describe('A consent check that takes longer answers "not allowed" (fail closed).'),
    withdrawalErasure: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'A withdrawal (not an import of past ones) opens an erasure request for the data the data map says was processed only under that consent (GDPR Art. 17(1)(b)).',
          ),
        identity: z
          .string()
          .default('email')
          .describe('The data-map identity consent subjects are named by (email, user_id, a custom one).'),
        contactEmail: z
          .string()
          .email()
          .optional()
          .describe(
            'Where the notices of these requests go. Default: the address of dsr.from, the privacy team: the person only withdrew a consent and asked for no mail about it.',
          ),
      })
      .strict()
      .default({ enabled: true, identity: 'email' }),
    cache: z
      .object({
        maxSubjects: z
          .number()
          .int()
          .min(0)
          .default(100_000)
          .describe('Subjects whose consent state each process keeps in memory (0 = no cache).'),
        ttlSeconds: z
          .number()
          .int()
          .min(1)
          .default(300)
          .describe(
            'Safety net: cached state is re-read after this long even without a change notification.',
          ),
      })
      .strict()
      .default({ maxSubjects: 100_000, ttlSeconds: 300 }),
  })
  .strict();

export type ConsentConfig = z.infer<typeof consentConfigSchema>;
