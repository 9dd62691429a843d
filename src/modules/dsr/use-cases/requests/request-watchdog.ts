import { sql } from 'kysely';
import type { DsrServices } from '../../dsr-services.ts';
import { finishRequest } from './finish-request.ts';
import { minimisePersonalData } from './minimise-request.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import { SYSTEM_ACTOR } from './request-actor.ts';
import { lockRequest } from './request-record.ts';
import { transitionRequest } from './request-transition.ts';

export interface WatchdogReport {
  ended: number;
  abandoned: number;
  minimised: number;
}

/** How long a closed request may wait for its closing notice before its personal data goes anyway. */
const NOTICE_GRACE_MS = 24 * 3600 * 1000;
const BATCH = 200;

/**
 * Job `dsr.watchdog`: no request stays open forever.
 * - in progress without any step activity (a step started, finished or heartbeating) for
 *   `dsr.execution.stallTimeoutMinutes` → ended as failed or partially completed (by what its
 *   steps achieved), the reason naming the stuck step;
 * - still unverified after `dsr.verification.abandonAfterDays` → denied (CCPA Regs §7060(e));
 * - closed for a day without the closing notice having gone out → personal data minimised anyway.
 */
export async function watchOverRequests(services: DsrServices, now = new Date()): Promise<WatchdogReport> {
  const { db } = services.database;
  const { execution, verification } = services.config.dsr;
  const stalledBefore = new Date(now.getTime() - execution.stallTimeoutMinutes * 60_000);
  const stalled = await db
    .selectFrom('dsr_requests as r')
    .select(['r.tenant_id', 'r.id'])
    .where('r.state', '=', 'in_progress')
    .where('r.updated_at', '<', stalledBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('dsr_request_steps as s')
            .select(sql`1`.as('one'))
            .whereRef('s.request_id', '=', 'r.id')
            // A step whose worker still renews its heartbeat is progress, however long it runs.
            .where((eb) =>
              eb.or([
                eb('s.started_at', '>=', stalledBefore),
                eb('s.heartbeat_at', '>=', stalledBefore),
                eb('s.finished_at', '>=', stalledBefore),
              ]),
            ),
        ),
      ),
    )
    .limit(BATCH)
    .execute();
  let ended = 0;
  for (const row of stalled) {
    const done = await db.transaction().execute(async (trx) => {
      const request = await lockRequest(trx, row.tenant_id, row.id);
      if (request.state !== 'in_progress') return false;
      const stuck = await trx
        .selectFrom('dsr_request_steps')
        .select(['step', 'error', 'attempts'])
        .where('request_id', '=', row.id)
        .where('status', 'in', ['pending', 'running'])
        .orderBy('seq')
        .executeTakeFirst();
      const where = stuck
        ? `step ${stuck.step} (attempt ${stuck.attempts}${stuck.error ? `, last error: ${stuck.error}` : ''})`
        : 'no step';
      await finishRequest(
        services,
        trx,
        request,
        SYSTEM_ACTOR,
        `ended by the watchdog: no progress for ${execution.stallTimeoutMinutes} minutes at ${where}`,
      );
      return true;
    });
    if (done) ended++;
  }

  const abandonedBefore = new Date(now.getTime() - verification.abandonAfterDays * 24 * 3600 * 1000);
  const unverified = await db
    .selectFrom('dsr_requests')
    .select(['tenant_id', 'id'])
    .where('state', 'in', ['received', 'verifying'])
    .where('received_at', '<', abandonedBefore)
    .limit(BATCH)
    .execute();
  let abandoned = 0;
  for (const row of unverified) {
    const done = await db.transaction().execute(async (trx) => {
      const request = await lockRequest(trx, row.tenant_id, row.id);
      if (request.state !== 'received' && request.state !== 'verifying') return false;
      await transitionRequest(services, trx, request, 'denied', {
        actor: SYSTEM_ACTOR,
        reason: `the identity was not verified within ${verification.abandonAfterDays} days`,
      });
      return true;
    });
    if (done) abandoned++;
  }

  const unminimised = await db
    .selectFrom('dsr_requests')
    .select(['tenant_id', 'id'])
    .where('closed_at', '<', new Date(now.getTime() - NOTICE_GRACE_MS))
    .where('personal_data_minimised_at', 'is', null)
    .limit(BATCH)
    .execute();
  for (const row of unminimised)
    await db
      .transaction()
      .execute((trx) => minimisePersonalData(trx, dsrKeyring(services.config.dsr), row.tenant_id, row.id));

  return { ended, abandoned, minimised: unminimised.length };
}
