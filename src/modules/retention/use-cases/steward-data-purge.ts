import { sql } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { deleteExpiredPackages } from '../../dsr/use-cases/packages/delete-expired-packages.ts';
import { minimisePersonalData } from '../../dsr/use-cases/requests/minimise-request.ts';
import type { AppServices } from '../../../kernel/http/steward-app.ts';
import { DEAD_LETTER_QUEUE } from '../../../kernel/jobs/job-engine.ts';
import { RETENTION_ACTOR } from './execute-run.ts';

const BATCH = 500;

/** What one purge removed (or, as a dry run, would remove), per kind of Steward data. */
export interface StewardPurgeResult {
  dryRun: boolean;
  accessPackages: number;
  verificationCodes: number;
  downloadLinks: number;
  closedRequests: number;
  jobs: number;
  events: number;
  retentionRuns: number;
  logs: string;
}

/**
 * Steward's own storage limitation (GDPR Art. 5(1)(e)), across all tenants, by the periods in
 * `retention.stewardData` (and `dsr.packages.retentionDays`, `events.keepDeliveredDays`):
 * - access packages: the DSR domain's own expiry (`deleteExpiredPackages`), not a second copy of it;
 * - verification-code hashes of requests that no longer wait for a code;
 * - expired download links;
 * - closed requests: after the period their remaining pseudonymous traces (identity and contact
 *   hashes, history reasons, codes, links) are removed and `purged_at` set; the request's type,
 *   dates, state and counts stay as the record of what was done (Art. 5(2));
 * - finished jobs (not the dead-letter queue), delivered outbox events, old run records.
 * Each batch is one transaction with its audit event. Re-running is harmless.
 */
export async function purgeStewardData(
  services: AppServices,
  options: { dryRun?: boolean; now?: Date } = {},
): Promise<StewardPurgeResult> {
  const dryRun = options.dryRun === true;
  const now = options.now ?? new Date();
  const own = services.config.retention.stewardData;
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return {
    dryRun,
    accessPackages: await purgePackages(services, dryRun, now),
    verificationCodes: await purgeVerificationCodes(services, dryRun, daysAgo(own.verificationCodesDays)),
    downloadLinks: await purgeDownloadLinks(services, dryRun, daysAgo(own.downloadLinksDays)),
    closedRequests: await purgeClosedRequests(services, dryRun, daysAgo(own.closedRequestsDays)),
    jobs: await purgeJobs(services, dryRun, daysAgo(own.jobHistoryDays)),
    events: await purgeEvents(services, dryRun, daysAgo(services.config.events.keepDeliveredDays)),
    retentionRuns: await purgeRuns(services, dryRun, daysAgo(own.runsDays)),
    logs: 'none on disk: Steward writes its logs (without personal data) to stdout only; their retention is that of your log platform',
  };
}

async function purgePackages(services: AppServices, dryRun: boolean, now: Date): Promise<number> {
  if (!dryRun) return (await deleteExpiredPackages(services, now)).packagesDeleted;
  const row = await services.database.db
    .selectFrom('dsr_packages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('deleted_at', 'is', null)
    .where('expires_at', '<', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function purgeVerificationCodes(services: AppServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  const due = db
    .selectFrom('dsr_verification_codes as c')
    .innerJoin('dsr_requests as r', (join) =>
      join.onRef('r.id', '=', 'c.request_id').onRef('r.tenant_id', '=', 'c.tenant_id'),
    )
    .where('c.code_hash', 'is not', null)
    .where('r.state', '<>', 'verifying')
    .where((eb) => eb.or([eb('c.last_issued_at', 'is', null), eb('c.last_issued_at', '<', before)]));
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['c.tenant_id', 'c.request_id']).limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      for (const [tenantId, ids] of groupByTenant(batch)) {
        await trx
          .updateTable('dsr_verification_codes')
          .set({ code_hash: null, salt: null })
          .where('tenant_id', '=', tenantId)
          .where('request_id', 'in', ids)
          .execute();
        await audit(trx, tenantId, 'verification_codes', ids.length);
      }
    });
    total += batch.length;
  }
}

async function purgeDownloadLinks(services: AppServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  if (dryRun)
    return Number(
      (
        await db
          .selectFrom('dsr_download_links')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('expires_at', '<', before)
          .executeTakeFirstOrThrow()
      ).n,
    );
  let total = 0;
  for (;;) {
    const batch = await db
      .selectFrom('dsr_download_links')
      .select(['tenant_id', 'id'])
      .where('expires_at', '<', before)
      .limit(BATCH)
      .execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      for (const [tenantId, ids] of groupByTenant(
        batch.map((b) => ({ tenant_id: b.tenant_id, request_id: b.id })),
      )) {
        await trx
          .deleteFrom('dsr_download_links')
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute();
        await audit(trx, tenantId, 'download_links', ids.length);
      }
    });
    total += batch.length;
  }
}

async function purgeClosedRequests(services: AppServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  const due = db.selectFrom('dsr_requests').where('closed_at', '<', before).where('purged_at', 'is', null);
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['tenant_id', 'id']).limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      for (const request of batch) {
        // The DSR domain's own minimisation first (plaintext ciphertexts), should the watchdog not have run yet.
        await minimisePersonalData(trx, request.tenant_id, request.id);
        await trx
          .deleteFrom('dsr_request_identities')
          .where('tenant_id', '=', request.tenant_id)
          .where('request_id', '=', request.id)
          .execute();
        await trx
          .deleteFrom('dsr_verification_codes')
          .where('tenant_id', '=', request.tenant_id)
          .where('request_id', '=', request.id)
          .execute();
        await trx
          .deleteFrom('dsr_download_links')
          .where('tenant_id', '=', request.tenant_id)
          .where('request_id', '=', request.id)
          .execute();
        await trx
          .updateTable('dsr_request_history')
          .set({ reason: null })
          .where('tenant_id', '=', request.tenant_id)
          .where('request_id', '=', request.id)
          .execute();
        await trx
          .updateTable('dsr_requests')
          .set({ contact_hash: 'purged', purged_at: new Date(), updated_at: new Date() })
          .where('tenant_id', '=', request.tenant_id)
          .where('id', '=', request.id)
          .execute();
        await recordAuditEvent(trx, {
          tenantId: request.tenant_id,
          actor: RETENTION_ACTOR,
          action: 'dsr.request.purged',
          object: { type: 'dsr_request', id: request.id },
          outcome: 'success',
          reason: 'retention period of closed requests ended',
        });
      }
    });
    total += batch.length;
  }
}

/** Finished jobs of every queue but the dead-letter one (kept for its own 30 days to be redriven). */
async function purgeJobs(services: AppServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  const where = sql`state in ('completed', 'cancelled') and completed_on < ${before} and name <> ${DEAD_LETTER_QUEUE}`;
  if (dryRun)
    return Number(
      (await sql<{ n: string }>`select count(*) as n from pgboss.job where ${where}`.execute(db)).rows[0]
        ?.n ?? 0,
    );
  const result = await sql`delete from pgboss.job where ${where}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Outbox events delivered everywhere (dead letters stay, to be replayed) and their delivery rows. */
async function purgeEvents(services: AppServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  const due = db
    .selectFrom('event_outbox as o')
    .where('o.routed_at', 'is not', null)
    .where('o.created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('event_deliveries as d')
            .select('d.id')
            .whereRef('d.event_id', '=', 'o.id')
            .where('d.status', '<>', 'delivered'),
        ),
      ),
    );
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['o.id', 'o.tenant_id']).limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      const ids = batch.map((b) => b.id);
      await trx.deleteFrom('event_deliveries').where('event_id', 'in', ids).execute();
      await trx.deleteFrom('event_outbox').where('id', 'in', ids).execute();
      for (const [tenantId, tenantIds] of groupByTenant(
        batch.map((b) => ({ tenant_id: b.tenant_id, request_id: b.id })),
      ))
        await audit(trx, tenantId, 'delivered_events', tenantIds.length);
    });
    total += batch.length;
  }
}

async function purgeRuns(services: AppServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  const finished = (table: 'retention_runs' | 'retention_flow_runs') =>
    db
      .selectFrom(table)
      .where('finished_at', '<', before)
      .where('state', 'in', ['completed', 'failed', 'cancelled']);
  if (dryRun)
    return Number(
      (
        await finished('retention_runs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return db.transaction().execute(async (trx) => {
    const runs = await trx
      .deleteFrom('retention_runs')
      .where('finished_at', '<', before)
      .where('state', 'in', ['completed', 'failed', 'cancelled'])
      .executeTakeFirst();
    await trx
      .deleteFrom('retention_flow_runs')
      .where('finished_at', '<', before)
      .where('state', 'in', ['completed', 'failed', 'cancelled'])
      .execute();
    return Number(runs.numDeletedRows);
  });
}

function groupByTenant(rows: { tenant_id: string; request_id: string }[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) groups.set(row.tenant_id, [...(groups.get(row.tenant_id) ?? []), row.request_id]);
  return groups;
}

async function audit(
  trx: Parameters<typeof recordAuditEvent>[0],
  tenantId: string,
  kind: string,
  count: number,
): Promise<void> {
  await recordAuditEvent(trx, {
    tenantId,
    actor: RETENTION_ACTOR,
    action: 'retention.steward_data.purged',
    object: { type: 'steward_data', id: kind },
    outcome: 'success',
    details: { kind, count },
  });
}
