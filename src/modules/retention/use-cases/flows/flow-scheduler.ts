import { Cron } from 'croner';
import { sql } from 'kysely';
import type { RetentionServices } from '../../retention-services.ts';
import { RETENTION_QUEUES } from '../../core/retention-queues.ts';
import { createFlowRun } from './flow-run-store.ts';
import type { Flow, ScheduleTrigger } from './flow-schema.ts';
import { loadFlows } from './load-flows.ts';

/** A fire time later than this after its moment counts as missed (the tick runs every minute). */
const MISFIRE_TOLERANCE_MS = 5 * 60_000;

export interface SchedulerTick {
  flowRuns: number;
  skippedFireTimes: number;
  resumedRuns: number;
  resumedFlowRuns: number;
}

/**
 * One tick of the scheduler job (every minute): fires the schedule triggers of enabled flows whose
 * next fire time has come, and hands runs whose process died (claim expired) to a new job.
 *
 * Each trigger remembers its last handled fire time, so downtime is noticed: with `catchUp` the
 * missed fire times run (up to `maxCatchUp`, oldest first), otherwise they are skipped and only a
 * fire time within the last few minutes runs. A trigger seen for the first time starts counting
 * now rather than replaying history. Two schedulers ticking at once create each run once.
 */
export async function tickScheduler(services: RetentionServices, now = new Date()): Promise<SchedulerTick> {
  const tick: SchedulerTick = { flowRuns: 0, skippedFireTimes: 0, resumedRuns: 0, resumedFlowRuns: 0 };
  for (const { flow } of loadFlows(services.config, services.dataMaps, services.retentionFlowFiles).flows) {
    if (flow.disabled) continue;
    for (const [index, trigger] of flow.triggers.entries())
      await fireTrigger(services, flow, trigger, triggerKey(index, trigger), now, tick);
  }
  await resumeStalled(services, tick);
  return tick;
}

async function fireTrigger(
  services: RetentionServices,
  flow: Flow,
  trigger: ScheduleTrigger,
  key: string,
  now: Date,
  tick: SchedulerTick,
): Promise<void> {
  const { db } = services.database;
  const tenantId = flow.namespace;
  const known = await db
    .selectFrom('retention_schedules')
    .select('last_fired_at')
    .where('tenant_id', '=', tenantId)
    .where('flow_id', '=', flow.id)
    .where('trigger_key', '=', key)
    .executeTakeFirst();
  if (!known) {
    await db
      .insertInto('retention_schedules')
      .values({ tenant_id: tenantId, flow_id: flow.id, trigger_key: key, last_fired_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'flow_id', 'trigger_key']).doNothing())
      .execute();
    return;
  }
  const cron = new Cron(trigger.cron, { paused: true, timezone: trigger.timezone });
  const due: Date[] = [];
  for (
    let at = cron.nextRun(known.last_fired_at);
    at && at <= now && due.length < 1000;
    at = cron.nextRun(at)
  )
    due.push(at);
  if (!due.length) return;
  const fire = trigger.catchUp
    ? due.slice(-trigger.maxCatchUp)
    : due.filter((at) => now.getTime() - at.getTime() <= MISFIRE_TOLERANCE_MS).slice(-1);
  tick.skippedFireTimes += due.length - fire.length;
  await db.transaction().execute(async (trx) => {
    // Moving last_fired_at only forward under a row lock: a concurrent tick waits, then sees nothing due.
    const moved = await trx
      .updateTable('retention_schedules')
      .set({ last_fired_at: due[due.length - 1]! })
      .where('tenant_id', '=', tenantId)
      .where('flow_id', '=', flow.id)
      .where('trigger_key', '=', key)
      .where('last_fired_at', '=', known.last_fired_at)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return;
    // No person asks for a scheduled run: the flow is its requester, so any person may approve a
    // sweep of it that waits for a second person (auth.separationOfDuties.retentionRunRowsAbove).
    const actor = flowActor(flow);
    for (const at of fire) {
      const trigger = now.getTime() - at.getTime() > MISFIRE_TOLERANCE_MS ? 'catch_up' : 'schedule';
      if (await createFlowRun(services, { flow, trigger, dryRun: false, actor, scheduledFor: at }, trx))
        tick.flowRuns += 1;
    }
  });
}

/** Runs and flow runs whose claim ran out (their process died) get a new job that resumes them. */
async function resumeStalled(services: RetentionServices, tick: SchedulerTick): Promise<void> {
  const { db } = services.database;
  const stalled = await db
    .selectFrom('retention_runs')
    .select(['tenant_id', 'id', 'lease_until'])
    .where('flow_run_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'running'), eb('lease_until', '<', sql<Date>`now()`)]),
        eb.and([
          eb('state', '=', 'queued'),
          eb('lease_until', 'is', null),
          eb('created_at', '<', sql<Date>`now() - interval '10 minutes'`),
        ]),
      ]),
    )
    .limit(100)
    .execute();
  for (const run of stalled) {
    const job = await services.jobs.enqueue(
      RETENTION_QUEUES.run,
      { tenantId: run.tenant_id, runId: run.id },
      { idempotencyKey: `${run.id}:resume:${run.lease_until?.toISOString()}` },
    );
    if (job) tick.resumedRuns += 1;
  }
  // A sweep started by a flow is resumed through its flow run, which then goes on with later tasks.
  const flowRuns = await db
    .selectFrom('retention_flow_runs')
    .select(['tenant_id', 'id', 'lease_until'])
    .where('state', '=', 'running')
    .where('lease_until', '<', sql<Date>`now()`)
    .limit(100)
    .execute();
  for (const run of flowRuns) {
    const job = await services.jobs.enqueue(
      RETENTION_QUEUES.flowRun,
      { tenantId: run.tenant_id, flowRunId: run.id },
      { idempotencyKey: `${run.id}:resume:${run.lease_until?.toISOString()}` },
    );
    if (job) tick.resumedFlowRuns += 1;
  }
}

/** The requester of a flow's scheduled runs, as the audit log names it. */
export function flowActor(flow: Pick<Flow, 'id'>): { kind: 'system'; id: string } {
  return { kind: 'system', id: `flow:${flow.id}` };
}

/** Identifies a trigger across edits that do not change it (a changed cron starts a new count). */
function triggerKey(index: number, trigger: ScheduleTrigger): string {
  return `${index}:${trigger.cron}@${trigger.timezone}`;
}

/** The next fire time of each trigger of a flow (for `flows list` and the report). */
export function nextFireTimes(flow: Flow, now = new Date()): Date[] {
  return flow.triggers
    .map((t) => new Cron(t.cron, { paused: true, timezone: t.timezone }).nextRun(now))
    .filter((d): d is Date => d !== null);
}
