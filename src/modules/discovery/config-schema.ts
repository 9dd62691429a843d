import { z } from 'zod';

/** `discovery:` in steward.yaml. */
export const discoveryConfigSchema = z
  .object({
    sampleSize: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(200)
      .describe('Rows (or log lines) sampled per table by scheduled and API runs.'),
    statementTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe('Limit per sampling statement on the source system (read-only transaction).'),
    schedule: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe('Run discovery over every database and log system daily at 03:00 UTC and keep the runs.'),
      })
      .strict()
      .default({ enabled: false }),
  })
  .strict()
  .default({ sampleSize: 200, statementTimeoutMs: 10_000, schedule: { enabled: false } });

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

/** The discovery section of a loaded config (defaults when absent). */
export function discoveryConfigOf(config: object): DiscoveryConfig {
  return discoveryConfigSchema.parse((config as { discovery?: unknown }).discovery);
}
