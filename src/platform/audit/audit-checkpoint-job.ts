import { isDomainError } from '../../kernel/errors/domain-error.ts';
import { defineJob } from '../../kernel/jobs/job-definition.ts';
import type { AuditServices } from './audit-services.ts';
import { auditConfigFor, loadCheckpointSigner, loadPseudonymKey } from './audit-keys.ts';
import { integratePendingEntries } from './integrate-pending-entries.ts';
import { recordIntegrityFinding } from './integrity-findings.ts';
import { checkpointTenant, type CheckpointOutcome } from './make-checkpoints.ts';
import { verifyLogInDatabase } from './verify-log-in-database.ts';

export const AUDIT_CHECKPOINT_QUEUE = 'audit.checkpoint';
export const AUDIT_VERIFY_QUEUE = 'audit.verify';

/** What the signer refuses to continue: a log whose signed history was rewritten, or a forged checkpoint. */
const INTEGRITY_CODES = new Set(['audit.history_rewritten', 'audit.checkpoint_untrusted']);

/**
 * Every minute: append the events committed since the last run to their logs, then sign and
 * publish a checkpoint for each log that grew. So an event is provable within about a minute
 * (the log's maximum merge delay). Safe to re-run: the integrator and the signer are idempotent.
 * A log the signer refuses to extend (its signed history was rewritten) raises the integrity alarm
 * (integrity-findings.ts) once, and the other tenants' logs are checkpointed all the same.
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
    const { db } = services.database;
    const integrated = await integratePendingEntries(db, {
      pseudonymKey: loadPseudonymKey(audit),
      batchSize: audit.integrateBatchSize,
    });
    const signer = loadCheckpointSigner(audit);
    const created: CheckpointOutcome[] = [];
    const tenants = await db
      .selectFrom('audit_tree_state')
      .select('tenant_id')
      .orderBy('tenant_id')
      .execute();
    for (const { tenant_id: tenantId } of tenants) {
      try {
        const outcome = await checkpointTenant(db, audit, signer, tenantId);
        if (outcome.created) created.push(outcome);
        await recordIntegrityFinding(db, { logger, metrics: services.metrics }, tenantId, 'checkpoint', []);
      } catch (error) {
        if (!isDomainError(error) || !INTEGRITY_CODES.has(error.code)) throw error;
        await recordIntegrityFinding(db, { logger, metrics: services.metrics }, tenantId, 'checkpoint', [
          error.message,
        ]);
      }
    }
    if (created.length > 0)
      logger.info(
        { integrated, checkpoints: created.map((c) => `${c.tenantId}@${c.treeSize}`) },
        'audit checkpoints published',
      );
    return { integrated, checkpoints: created.length };
  },
});

/**
 * Every night: recompute every tenant's log from its entries and check it against its tree state,
 * its last trusted checkpoint, its side records and the records its leaves anchor
 * (verify-log-in-database.ts). Catches what the minute's consistency check cannot see: an entry's
 * text changed below a checkpoint, a side record or an anchored consent entry rewritten.
 */
export const auditVerifyJob = defineJob<Record<string, never>, AuditServices>({
  queue: AUDIT_VERIFY_QUEUE,
  schedule: { cron: '17 3 * * *' },
  retryLimit: 1,
  retryDelaySeconds: 600,
  timeoutSeconds: 3 * 3600,
  keepCompletedSeconds: 7 * 24 * 3600,
  async handle(_payload, { services, logger }) {
    const audit = auditConfigFor(services.config);
    const { db } = services.database;
    const keys = { pseudonymKey: loadPseudonymKey(audit), signer: loadCheckpointSigner(audit) };
    const tenants = await db
      .selectFrom('audit_tree_state')
      .select('tenant_id')
      .orderBy('tenant_id')
      .execute();
    let violated = 0;
    for (const { tenant_id: tenantId } of tenants) {
      const verification = await verifyLogInDatabase(db, audit, keys, tenantId);
      await recordIntegrityFinding(
        db,
        { logger, metrics: services.metrics },
        tenantId,
        'full',
        verification.problems,
      );
      if (!verification.ok) violated++;
    }
    return { tenants: tenants.length, violated };
  },
});
