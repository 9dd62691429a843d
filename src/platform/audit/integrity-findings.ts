import { randomUUID } from 'node:crypto';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import type { StewardMetrics } from '../../kernel/metrics/steward-metrics.ts';
import { publishEvent } from '../events/publish-event.ts';
import type { EventsTables } from '../events/store/events-tables.ts';
import { recordAuditEvent } from './record-audit-event.ts';
import type { AuditDatabase } from './store/audit-database.ts';

/** `checkpoint`: the signer's consistency check, every minute; `full`: the recomputation of the whole log. */
export type IntegrityCheck = 'checkpoint' | 'full';

/** Alarms raised by this process, by check: what an alert rule watches (`increase(...) > 0`). */
export const INTEGRITY_VIOLATIONS = {
  name: 'steward_audit_integrity_violations_total',
  help: 'Audit log integrity violations detected (one per incident), by check (checkpoint, full).',
  labelNames: ['check'] as const,
};

/**
 * Records what a check found for a tenant's log. A finding where there was none raises the alarm
 * once: the `audit.integrity.violated` event (webhooks, NATS), an audit entry, an error log line and
 * the counter. While it stands, later checks only update its text (the alarm's own audit entry
 * grows the log, so the wording changes) and /readyz reports the instance degraded. A clean result
 * clears that check's finding, so the next violation alarms again. Returns whether an alarm was raised.
 */
export async function recordIntegrityFinding(
  db: DbHandle<AuditDatabase & EventsTables>,
  observers: { logger: Logger; metrics?: StewardMetrics },
  tenantId: string,
  check: IntegrityCheck,
  problems: readonly string[],
): Promise<boolean> {
  if (problems.length === 0) {
    await db
      .deleteFrom('audit_integrity')
      .where('tenant_id', '=', tenantId)
      .where('check_name', '=', check)
      .execute();
    return false;
  }
  const problem = summary(problems);
  const raised = await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('audit_integrity')
      .select('problem')
      .where('tenant_id', '=', tenantId)
      .where('check_name', '=', check)
      .forUpdate()
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('audit_integrity')
        .set({ problem, checked_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('check_name', '=', check)
        .execute();
      return false;
    }
    // Two processes detecting at once: the primary key lets one of them alarm.
    const inserted = await trx
      .insertInto('audit_integrity')
      .values({ tenant_id: tenantId, check_name: check, problem })
      .onConflict((oc) => oc.columns(['tenant_id', 'check_name']).doNothing())
      .returning('tenant_id')
      .executeTakeFirst();
    if (!inserted) return false;
    const detectedAt = new Date().toISOString();
    await publishEvent(trx, {
      tenantId,
      id: randomUUID(),
      type: 'audit.integrity.violated',
      source: 'audit',
      topic: 'audit.integrity',
      data: { tenant: tenantId, check, problems: problems.slice(0, 20), detectedAt },
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor: { kind: 'system', id: 'steward-audit' },
      action: 'audit.integrity.violated',
      object: { type: 'audit_log', id: tenantId },
      outcome: 'failure',
      details: { check, problems: problems.length, first: problems[0] },
    });
    return true;
  });
  if (raised) {
    observers.metrics?.counter(INTEGRITY_VIOLATIONS).inc({ check });
    observers.logger.error(
      { tenantId, check, problems: problems.slice(0, 5) },
      'audit log integrity violated',
    );
  }
  return raised;
}

/** What /readyz reports while findings stand: `audit` → the tenants and checks that failed. */
export async function integrityDegradations(db: DbHandle<AuditDatabase>): Promise<Record<string, string>> {
  const findings = await db
    .selectFrom('audit_integrity')
    .select(['tenant_id', 'check_name', 'detected_at'])
    .orderBy('tenant_id')
    .limit(20)
    .execute();
  if (findings.length === 0) return {};
  return {
    audit: `integrity violated: ${findings.map((f) => `${f.tenant_id} (${f.check_name} check, since ${f.detected_at.toISOString()})`).join(', ')}; run \`steward audit verify --database\``,
  };
}

function summary(problems: readonly string[]): string {
  const text =
    problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
  return text.length > 2000 ? `${text.slice(0, 1997)}…` : text;
}
