import { sql, type Insertable, type Transaction } from 'kysely';
import { pendingAuditRow } from '../../../../platform/audit/record-audit-event.ts';
import { withPublishedEvents } from '../../../../platform/events/publish-events-in-statement.ts';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DsrRequestIdentitiesTable, DsrRequestsTable } from '../../store/dsr-tables.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { RequestActor } from './request-actor.ts';
import { enqueueNotice, enqueueStep } from './request-queues.ts';
import type { RequestRow } from './request-record.ts';
import { assertTransition, type RequestState } from './request-states.ts';
import {
  historyRow,
  requestEvent,
  transitionRecords,
  type RequestChangeRecords,
  type TransitionChange,
} from './request-transition.ts';
import { firstStepRow } from './start-execution.ts';
import { withOpenDuplicate, type DuplicateQuery } from './open-duplicate.ts';

/** A new request as submitted: its row in `received`, its encrypted identities. */
export interface Intake {
  request: Insertable<DsrRequestsTable> &
    Pick<
      RequestRow,
      | 'id'
      | 'tenant_id'
      | 'type'
      | 'regime'
      | 'regime_type'
      | 'source'
      | 'approval_required'
      | 'due_at'
      | 'duplicate_of'
    >;
  identities: Insertable<DsrRequestIdentitiesTable>[];
  actor: RequestActor;
  /** The API request that carried it, for the creation's audit entry. */
  requestId?: string;
  /** The subject reference for the audit entries. */
  subjectRef: string;
  /** An agent vouched for the identity: the request goes on as verified at once. */
  identityVerified: boolean;
  /** Refuse the intake when this finds an open duplicate (its caller holds the identities' locks). */
  refuseDuplicate?: DuplicateQuery;
}

/** Recorded, or refused for the open duplicate named: then the caller must roll back, nothing is to stay. */
export type IntakeOutcome =
  | { request: RequestRow; duplicate?: undefined }
  | { request?: undefined; duplicate: { id: string; contact_hash: string } };

/**
 * Writes a new request in the caller's transaction as one statement: the request in the state its
 * intake leaves it in, its identities, and for each state it took (received; then, when an agent
 * vouched for the identity, verified and in progress or awaiting approval) the history line, audit
 * entry and event `transitionRequest` would have written, in that order, and the first step when
 * execution starts. The same statement looks for an open duplicate (`refuseDuplicate`); when it
 * finds one, what it wrote is the caller's to roll back. Then the jobs (pg-boss writes them
 * itself): the requester's notice and the plan. A submission used to take a round trip per row
 * (20 in all): this is one, plus the jobs.
 */
export async function recordIntake(
  services: Pick<DsrServices, 'jobs'>,
  trx: Transaction<DsrDatabase>,
  intake: Intake,
): Promise<IntakeOutcome> {
  const { changes, state, set } = intakeChanges(intake);
  const duplicates = intake.refuseDuplicate ?? {
    tenantId: intake.request.tenant_id,
    type: intake.request.type,
    hashes: intake.identities.map((i) => i.value_hash),
    now: new Date(),
    windowDays: 0,
  };
  const stored = await withPublishedEvents(
    withOpenDuplicate(trx, duplicates),
    changes.map((c) => c.event),
  )
    .with('intake_request', (db) =>
      db
        .insertInto('dsr_requests')
        .values({ ...intake.request, state, ...set })
        .returningAll(),
    )
    .with('intake_identities', (db) => db.insertInto('dsr_request_identities').values(intake.identities))
    .with('intake_history', (db) =>
      db.insertInto('dsr_request_history').values(changes.map((c) => c.history)),
    )
    .with('intake_audit', (db) =>
      db.insertInto('audit_pending').values(changes.map((c) => pendingAuditRow(c.audit))),
    )
    .with('intake_first_step', (db) => {
      const first = firstStepRow(intake.request);
      return db
        .insertInto('dsr_request_steps')
        .columns(['tenant_id', 'request_id', 'step', 'seq', 'kind', 'status', 'attempts'])
        .expression(
          db
            .selectFrom('intake_request')
            .select([
              'tenant_id',
              'id',
              sql.lit(first.step).as('step'),
              sql.lit(first.seq).as('seq'),
              sql.lit(first.kind).as('kind'),
              sql.lit(first.status).as('status'),
              sql.lit(first.attempts).as('attempts'),
            ])
            .where('state', '=', 'in_progress'),
        );
    })
    .selectFrom('intake_request')
    .selectAll('intake_request')
    .select((eb) => [
      eb.selectFrom('open_duplicate').select('id').as('duplicate_id'),
      eb.selectFrom('open_duplicate').select('contact_hash').as('duplicate_contact_hash'),
    ])
    .executeTakeFirstOrThrow();
  if (stored.duplicate_id !== null)
    return { duplicate: { id: stored.duplicate_id, contact_hash: stored.duplicate_contact_hash! } };

  const job = { tenantId: stored.tenant_id, requestId: stored.id };
  if (!intake.identityVerified) {
    // The code email also confirms receipt (CCPA Regs §7021(a)).
    await enqueueNotice(services.jobs, trx, { ...job, notice: 'verification_code' }, 1);
    return { request: requestRowOf(stored) };
  }
  await enqueueNotice(services.jobs, trx, { ...job, notice: 'acknowledgement' });
  if (stored.state === 'in_progress')
    await enqueueStep(services.jobs, trx, { ...job, step: firstStepRow(stored).step });
  return { request: requestRowOf(stored) };
}

function requestRowOf<Row extends RequestRow>({
  duplicate_id: _id,
  duplicate_contact_hash: _hash,
  ...request
}: Row & { duplicate_id: unknown; duplicate_contact_hash: unknown }): RequestRow {
  return request;
}

/**
 * The states an intake takes the request through, each with its records: created in `received`;
 * with an identity vouched for, `verified`, then `awaiting_approval` when the type needs a second
 * person (four eyes) or `in_progress`. Each step is checked against the lifecycle.
 */
function intakeChanges(intake: Intake): {
  changes: RequestChangeRecords[];
  state: RequestState;
  set: TransitionChange['set'];
} {
  const { request, actor, subjectRef } = intake;
  const details = {
    type: request.type,
    regime: request.regime,
    regimeType: request.regime_type,
    source: request.source,
    dueAt: request.due_at.toISOString(),
    ...(request.duplicate_of ? { duplicateOf: request.duplicate_of } : {}),
  };
  const changes: RequestChangeRecords[] = [
    {
      history: historyRow(request, 'created', null, 'received', actor),
      audit: {
        tenantId: request.tenant_id,
        actor,
        action: 'dsr.request.created',
        object: { type: 'dsr_request', id: request.id },
        outcome: 'success',
        subjectRef,
        ...(intake.requestId ? { requestId: intake.requestId } : {}),
        details,
      },
      event: requestEvent(request, 'dsr.request.created', details),
    },
  ];
  if (!intake.identityVerified) return { changes, state: 'received', set: {} };

  const path: [RequestState, TransitionChange][] = [
    [
      'verified',
      { actor, reason: 'identity verified by the agent', set: { verified_by: 'agent' }, subjectRef },
    ],
    [request.approval_required ? 'awaiting_approval' : 'in_progress', { actor, subjectRef }],
  ];
  let state: RequestState = 'received';
  let set: TransitionChange['set'] = {};
  for (const [to, change] of path) {
    assertTransition(request.id, state, to);
    changes.push(transitionRecords({ ...request, state }, to, change));
    set = { ...set, ...change.set };
    state = to;
  }
  return { changes, state, set };
}
