import type { OwnDataRetention } from '../../../kernel/module.ts';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { groupByTenant, recordOwnDataPurged } from '../../../platform/audit/record-own-data-purged.ts';
import type { DsrServices } from '../dsr-services.ts';
import { deleteExpiredPackages } from './packages/delete-expired-packages.ts';
import { minimisePersonalData } from './requests/minimise-request.ts';
import { dsrKeyring } from './requests/dsr-keyring.ts';

const BATCH = 500;
type PurgeActor = { kind: 'system'; id: string };

/**
 * The DSR module's own storage limitation (GDPR Art. 5(1)(e)), run by the built-in `steward-data` flow:
 * - access packages: the module's own expiry (`deleteExpiredPackages`);
 * - verification-code hashes of requests that no longer wait for a code;
 * - expired download links;
 * - mail kept in the local outbox (`dsr.outbox`), after `outboxMailDays`;
 * - closed requests: after the period their remaining pseudonymous traces (identity and contact
 *   hashes, history reasons, codes, links) are removed and `purged_at` set; the request's type,
 *   dates, state and counts stay as the record of what was done (Art. 5(2)).
 */
export const dsrOwnDataRetention: OwnDataRetention<DsrServices> = {
  async purge(services, { dryRun, now, periods, actor }) {
    const daysAgo = (key: string) => new Date(now.getTime() - Number(periods[key]) * 86_400_000);
    return {
      accessPackages: await purgePackages(services, dryRun, now),
      verificationCodes: await purgeVerificationCodes(
        services,
        dryRun,
        daysAgo('verificationCodesDays'),
        actor,
      ),
      downloadLinks: await purgeDownloadLinks(services, dryRun, daysAgo('downloadLinksDays'), actor),
      outboxMail: await purgeOutboxMail(services, dryRun, daysAgo('outboxMailDays'), actor),
      closedRequests: await purgeClosedRequests(services, dryRun, daysAgo('closedRequestsDays'), actor),
    };
  },
};

async function purgePackages(services: DsrServices, dryRun: boolean, now: Date): Promise<number> {
  if (!dryRun) return (await deleteExpiredPackages(services, now)).packagesDeleted;
  const row = await services.database.db
    .selectFrom('dsr_packages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('deleted_at', 'is', null)
    .where('expires_at', '<', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function purgeVerificationCodes(
  services: DsrServices,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
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
      for (const [tenantId, ids] of groupByTenant(batch, (b) => b.request_id)) {
        await trx
          .updateTable('dsr_verification_codes')
          .set({ code_hash: null, salt: null })
          .where('tenant_id', '=', tenantId)
          .where('request_id', 'in', ids)
          .execute();
        await recordOwnDataPurged(trx, { tenantId, actor, kind: 'verification_codes', count: ids.length });
      }
    });
    total += batch.length;
  }
}

async function purgeDownloadLinks(
  services: DsrServices,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
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
      for (const [tenantId, ids] of groupByTenant(batch, (b) => b.id)) {
        await trx
          .deleteFrom('dsr_download_links')
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute();
        await recordOwnDataPurged(trx, { tenantId, actor, kind: 'download_links', count: ids.length });
      }
    });
    total += batch.length;
  }
}

async function purgeOutboxMail(
  services: DsrServices,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
  const { db } = services.database;
  const due = db.selectFrom('dsr_mail_outbox').where('created_at', '<', before);
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['tenant_id', 'id']).limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      for (const [tenantId, ids] of groupByTenant(batch, (b) => b.id)) {
        await trx
          .deleteFrom('dsr_mail_outbox')
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute();
        await recordOwnDataPurged(trx, { tenantId, actor, kind: 'outbox_mail', count: ids.length });
      }
    });
    total += batch.length;
  }
}

async function purgeClosedRequests(
  services: DsrServices,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
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
        await minimisePersonalData(trx, dsrKeyring(services.config.dsr), request.tenant_id, request.id);
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
          actor,
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
