import { defineJob } from '../jobs/job-definition.ts';
import { expireConsents } from './expire-consents.ts';

/** Every 10 minutes: expire consents past their validity and send reminders before expiry. */
export const consentExpiryJob = defineJob<object>({
  queue: 'consent.expire',
  schedule: { cron: '*/10 * * * *' },
  retryLimit: 5,
  timeoutSeconds: 600,
  async handle(_payload, context) {
    return expireConsents(context.services);
  },
});
