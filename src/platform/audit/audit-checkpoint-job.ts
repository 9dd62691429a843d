import { defineJob } from '../../kernel/jobs/job-definition.ts';
import type { AuditServices } from './audit-services.ts';
import { auditConfigFor, loadCheckpointSigner, loadPseudonymKey } from './audit-keys.ts';
import { integratePendingEntries } from './integrate-pending-entries.ts';
import { makeCheckpoints } from './make-checkpoints.ts';

export const AUDIT_CHECKPOINT_QUEUE = 'audit.checkpoint';

/**
 * Every minute: append the events committed since the last run to their logs, then sign and
 * publish a checkpoint for each log that grew. So an event is provable within about a minute
 * (the log's maximum merge delay). Safe to re-run: the integrator and the signer are idempotent.
 */
export const auditCheckpointJob = defineJob<Record<string, never>, AuditServices>({
  queue: AUDIT_CHECKPOINT_QUEUE,
  schedule: { cron: '* * * * *' },
  retryLimit: 2,
  retryDelaySeconds: 10,
  timeoutSeconds: 300,
  keepCompletedSeconds: 24 * 3600,
  async handle(_payload, { services, logger }) {
    const audit = auditConfigFor(services.config);
    const integrated = await integratePendingEntries(services.database.db, {
      pseudonymKey: loadPseudonymKey(audit),
      batchSize: audit.integrateBatchSize,
    });
    const checkpoints = await makeCheckpoints(services.database.db, audit, loadCheckpointSigner(audit));
    const created = checkpoints.filter((c) => c.created);
    if (created.length > 0)
      logger.info(
        { integrated, checkpoints: created.map((c) => `${c.tenantId}@${c.treeSize}`) },
        'audit checkpoints published',
      );
    return { integrated, checkpoints: created.length };
  },
});
