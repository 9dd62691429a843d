import { z } from 'zod';
import { isKnownTimeZone } from './core/breach-clock.ts';

/** The `governance` section of steward.yaml. */
export const governanceConfigSchema = z
  .object({
    timeZone: z
      .string()
      .refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/Berlin')
      .default('UTC')
      .describe(
        'Zone breach deadlines and notices are shown in. Deadlines are instants (72 hours after awareness, GDPR Art. 33(1)), so a DST change never moves them.',
      ),
    breachReminderHoursLeft: z
      .array(z.number().int().min(0).max(71))
      .default([48, 24, 6, 1, 0])
      .describe(
        'When governance.breach_deadline_approaching events fire, in hours left before the 72-hour deadline; 0 = the escalation when it passes.',
      ),
  })
  .strict();

export type GovernanceConfig = z.infer<typeof governanceConfigSchema>;

/** The governance settings of a loaded config, with defaults while the section is not wired. */
export function governanceSettings(config: object): GovernanceConfig {
  const section = (config as { governance?: unknown }).governance;
  return governanceConfigSchema.parse(section ?? {});
}
