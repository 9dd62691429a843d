import { defineJob } from '../../kernel/jobs/job-definition.ts';
import { expireConsents } from './use-cases/expire-consents.ts';
import {
  openWithdrawalErasure,
  WITHDRAWAL_ERASURE_QUEUE,
  type WithdrawalErasurePayload,
} from './use-cases/withdrawal-erasure.ts';
import type { ConsentServices } from './consent-services.ts';

/** Every 10 minutes: expire consents past their validity and send reminders before expiry. */
export const consentExpiryJob = defineJob<object, ConsentServices>({
  queue: 'consent.expire',
  schedule: { cron: '*/10 * * * *' },
  retryLimit: 5,
  timeoutSeconds: 600,
  async handle(_payload, context) {
    return expireConsents(context.services);
  },
});

/** After a withdrawal commits: the erasure request for the data processed only under that consent. */
export const consentWithdrawalErasureJob = defineJob<WithdrawalErasurePayload, ConsentServices>({
  queue: WITHDRAWAL_ERASURE_QUEUE,
  retryLimit: 10,
  timeoutSeconds: 120,
  async handle(payload, context) {
    return openWithdrawalErasure(context.services, payload);
  },
});
