import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import type { ConsentServices } from '../consent-services.ts';
import { CONSENT_CHANNEL, subjectChangedPayload } from '../core/consent-notifications.ts';
import { invalidateSubjects } from './record-consent.ts';

export interface ExpiryReport {
  expired: number;
  reminded: number;
}

const SYSTEM = { kind: 'system' as const, id: 'consent-expiry' };

/**
 * Appends an `expired` ledger entry (and a consent.expired event) for every given consent past its
 * validity, and a consent.expiring event once per consent entering the reminder window. Works in
 * batches, each its own transaction; rows are claimed with SKIP LOCKED so several workers can run
 * it, and a re-run after a crash finds only what is left.
 */
export async function expireConsents(
  services: ConsentServices,
  now = new Date(),
  batchSize = 500,
): Promise<ExpiryReport> {
  const report: ExpiryReport = { expired: 0, reminded: 0 };
  for (;;) {
    const done = await expireBatch(services, now, batchSize);
    report.expired += done;
    if (done < batchSize) break;
  }
  const leadDays = services.config.consent.reminderLeadDays;
  if (leadDays > 0) {
    for (;;) {
      const done = await remindBatch(
        services,
        now,
        new Date(now.getTime() + leadDays * 86_400_000),
        batchSize,
      );
      report.reminded += done;
      if (done < batchSize) break;
    }
  }
  return report;
}

async function expireBatch(services: ConsentServices, now: Date, batchSize: number): Promise<number> {
  const subjects: Array<{ tenantId: string; subject: string }> = [];
  const count = await services.database.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('consent_state')
      .selectAll()
      .where('status', '=', 'given')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const state of due) {
      const id = randomUUID();
      const expiredAt = state.expires_at!;
      await trx
        .insertInto('consent_ledger')
        .values({
          id,
          tenant_id: state.tenant_id,
          subject: state.subject,
          purpose: state.purpose,
          action: 'expired',
          notice_id: state.notice_id,
          notice_version: state.notice_version,
          legal_basis: state.legal_basis,
          source: 'system',
          jurisdiction: null,
          proof: null,
          occurred_at: expiredAt,
          expires_at: null,
          actor_kind: SYSTEM.kind,
          actor_id: SYSTEM.id,
        })
        .execute();
      await trx
        .updateTable('consent_state')
        .set({ status: 'expired', ledger_id: id, source: 'system', occurred_at: expiredAt })
        .where('tenant_id', '=', state.tenant_id)
        .where('subject', '=', state.subject)
        .where('purpose', '=', state.purpose)
        .execute();
      await publishEvent(trx, {
        tenantId: state.tenant_id,
        id,
        type: 'consent.expired',
        source: 'consent',
        topic: `consent.${state.purpose}`,
        subject: state.subject,
        time: expiredAt,
        data: {
          id,
          subject: state.subject,
          purpose: state.purpose,
          action: 'expired',
          notice: state.notice_key,
          noticeVersion: state.notice_version,
          occurredAt: expiredAt.toISOString(),
        },
      });
      await recordAuditEvent(trx, {
        tenantId: state.tenant_id,
        actor: SYSTEM,
        action: 'consent.expired',
        object: { type: 'consent', id },
        outcome: 'success',
        subjectRef: state.subject,
        details: { purpose: state.purpose, notice: state.notice_key, noticeVersion: state.notice_version },
      });
      await sql`select pg_notify(${CONSENT_CHANNEL}, ${subjectChangedPayload(state.tenant_id, state.subject)})`.execute(
        trx,
      );
      subjects.push({ tenantId: state.tenant_id, subject: state.subject });
    }
    return due.length;
  });
  for (const { tenantId, subject } of subjects) invalidateSubjects(services, tenantId, [subject]);
  return count;
}

async function remindBatch(
  services: ConsentServices,
  now: Date,
  horizon: Date,
  batchSize: number,
): Promise<number> {
  return services.database.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('consent_state')
      .select(['tenant_id', 'subject', 'purpose', 'ledger_id', 'notice_key', 'notice_version', 'expires_at'])
      .where('status', '=', 'given')
      .where('reminded_at', 'is', null)
      .where('expires_at', '>', now)
      .where('expires_at', '<=', horizon)
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const state of due) {
      await publishEvent(trx, {
        tenantId: state.tenant_id,
        // One reminder per consent: the id derives from the ledger entry it reminds of.
        id: `${state.ledger_id}:expiring`,
        type: 'consent.expiring',
        source: 'consent',
        topic: `consent.${state.purpose}`,
        subject: state.subject,
        data: {
          subject: state.subject,
          purpose: state.purpose,
          consentId: state.ledger_id,
          notice: state.notice_key,
          noticeVersion: state.notice_version,
          expiresAt: state.expires_at!.toISOString(),
        },
      });
      await trx
        .updateTable('consent_state')
        .set({ reminded_at: now })
        .where('tenant_id', '=', state.tenant_id)
        .where('subject', '=', state.subject)
        .where('purpose', '=', state.purpose)
        .execute();
    }
    return due.length;
  });
}
