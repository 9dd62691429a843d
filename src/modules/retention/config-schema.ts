import { z } from 'zod';

const sweepSchema = z
  .object({
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .default(1000)
      .describe(
        'Rows deleted or anonymised per batch; each batch is one short transaction on the source system.',
      ),
    pauseMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(50)
      .describe(
        'Pause between two batches, so a sweep leaves room for the application writing to the same table.',
      ),
    sampleSize: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(10)
      .describe('Primary keys shown per collection by a dry run (keys only, never other values).'),
    leaseSeconds: z
      .number()
      .int()
      .min(2)
      .max(3600)
      .default(60)
      .describe(
        'A running sweep renews its claim after every batch; a sweep whose claim ran out (its process died) is resumed by a job from its last batch.',
      ),
  })
  .strict();

const stewardDataSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Purge Steward's own personal data on a schedule (GDPR Art. 5(1)(e) applies to Steward too).",
      ),
    cron: z.string().default('41 3 * * *').describe('When the purge runs (cron, in `timezone`).'),
    timezone: z.string().default('UTC'),
    closedRequestsDays: z
      .number()
      .int()
      .min(1)
      .default(365 * 3)
      .describe(
        'Closed requests keep pseudonymous traces (identity and contact hashes, history reasons) this long, for duplicate detection and accountability (Art. 5(2)); then they are purged.',
      ),
    verificationCodesDays: z
      .number()
      .int()
      .min(1)
      .default(7)
      .describe(
        'Verification-code hashes of requests no longer waiting for a code are removed after this many days.',
      ),
    downloadLinksDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Expired download links (token hashes) are deleted this many days after they expired.'),
    outboxMailDays: z
      .number()
      .int()
      .min(1)
      .default(7)
      .describe(
        'Mail kept in the local outbox instead of being sent (dsr.outbox, the demo without a mail server) is deleted after this many days.',
      ),
    jobHistoryDays: z
      .number()
      .int()
      .min(1)
      .default(7)
      .describe(
        'Finished background jobs are deleted after this many days (pg-boss keeps them at most as long as each queue allows).',
      ),
    runsDays: z
      .number()
      .int()
      .min(1)
      .default(400)
      .describe(
        'Retention run records (counts, never personal data) are kept this long as evidence of enforcement.',
      ),
    discoveryRunsDays: z
      .number()
      .int()
      .min(1)
      .default(400)
      .describe(
        "Discovery runs (categories and evidence counts per column, never a value) are deleted after this many days; each system's latest run stays, to compare the next one with.",
      ),
    maskingRunsDays: z
      .number()
      .int()
      .min(1)
      .default(400)
      .describe(
        'Finished masked-copy runs and their reports (rows, transformers, column statistics, leak check) are deleted after this many days; the audit log keeps their start and end.',
      ),
    ropaGenerationsDays: z
      .number()
      .int()
      .min(1)
      .default(365 * 3)
      .describe(
        "Stored generations of the record of processing (with the hand-written controller and DPO contacts) are deleted after this many days; each tenant's latest stays, for `ropa diff`.",
      ),
    breachRemindersDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe(
        'The reminder bookkeeping of a closed breach is deleted this many days after it closed (the breach register itself is kept: it is the Art. 33(5) documentation).',
      ),
  })
  .strict();

/** The `retention` section of steward.yaml: privacy flows, sweep pacing and Steward's own retention. */
export const retentionConfigSchema = z
  .object({
    flowsPath: z
      .string()
      .default('./flows')
      .describe('Folder of privacy-flow YAML files (one flow per file).'),
    sweep: sweepSchema.default(sweepSchema.parse({})),
    stewardData: stewardDataSchema.default(stewardDataSchema.parse({})),
  })
  .strict();

export type RetentionConfig = z.infer<typeof retentionConfigSchema>;
