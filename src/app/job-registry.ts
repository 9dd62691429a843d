import type { JobDefinition } from '../kernel/jobs/job-definition.ts';
import { probeJob } from '../kernel/jobs/job-probe.ts';
import { auditCheckpointJob } from '../platform/audit/audit-checkpoint-job.ts';
import { dsrJobs } from '../modules/dsr/jobs.ts';
import { consentExpiryJob, consentWithdrawalErasureJob } from '../modules/consent/jobs.ts';
import { retentionJobs } from '../modules/retention/jobs.ts';

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
