import { defineJob, type JobDefinition } from '../../kernel/jobs/job-definition.ts';
import type { GovernanceServices } from './use-cases/governance-deps.ts';
import { sendBreachReminders } from './use-cases/send-breach-reminders.ts';

/**
 * Breach deadline reminders: every minute, open breaches whose authority notification is due get
 * `governance.breach_deadline_approaching` at the configured hours left and an escalation when the
 * 72 hours pass. Each reminder is claimed in its own transaction, so a retry or a second worker
 * never sends one twice.
 */
const breachReminders = defineJob<object, GovernanceServices>({
  queue: 'governance.breach_reminders',
  schedule: { cron: '* * * * *' },
  retryLimit: 0,
  timeoutSeconds: 120,
  async handle(_payload, context) {
    return sendBreachReminders(context.services);
  },
});

export const governanceJobs: JobDefinition[] = [breachReminders];
