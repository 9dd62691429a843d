import type { JobDefinition } from './job-definition.ts';
import { probeJob } from './job-probe.ts';
import { auditCheckpointJob } from '../audit/audit-checkpoint-job.ts';
import { dsrJobs } from '../dsr/dsr-jobs.ts';
import { consentExpiryJob, consentWithdrawalErasureJob } from '../consent/consent-jobs.ts';
import { retentionJobs } from '../retention/retention-jobs.ts';

/**
 * Every queue Steward runs. A domain adds its definitions here; `steward serve` and `steward
 * worker` start workers for all of them.
 */
export function allJobDefinitions(): JobDefinition[] {
  return [
    probeJob,
    auditCheckpointJob,
    ...dsrJobs,
    consentExpiryJob,
    consentWithdrawalErasureJob,
    ...retentionJobs,
  ];
}
