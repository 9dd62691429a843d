import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startDsrTestApp, type DsrTestApp } from '../../../../../test/support/start-dsr-test-app.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import { contactContext, identityContext } from './subject-reference.ts';

/**
 * Everything one intake leaves in the database, re-read row by row: the request and its encrypted
 * identities, the history, the pending audit entries (pseudonymised), the outbox events in stream
 * order, the step and the jobs. An intake's writes may be reorganised for speed; these may not change.
 */
describe('what one request intake records', () => {
  let t: DsrTestApp;
  let agent: Record<string, string>;

  before(async () => {
    // No worker: the jobs stay queued where the intake left them.
    t = await startDsrTestApp({ dsr: { approvalRequired: ['erasure'] } });
    agent = await t.headers('request_agent');
  });
  after(() => t.close());

  const submit = (payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/requests', payload, headers });

  async function recordOf(id: string) {
    const db = t.database.db;
    const request = await db
      .selectFrom('dsr_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const identities = await db
      .selectFrom('dsr_request_identities')
      .selectAll()
      .where('request_id', '=', id)
      .orderBy('name')
      .execute();
    const history = await db
      .selectFrom('dsr_request_history')
      .select(['event', 'from_state', 'to_state', 'actor_kind', 'reason', 'tenant_id'])
      .where('request_id', '=', id)
      .orderBy('id')
      .execute();
    const audit = await db
      .selectFrom('audit_pending')
      .select(['action', 'body', 'subject_ref', 'salt', 'tenant_id'])
      .where(sql<boolean>`body::jsonb -> 'object' ->> 'id' = ${id}`)
      .orderBy('id')
      .execute();
    const events = await db
      .selectFrom('event_outbox')
      .select(['type', 'stream_key', 'stream_sequence', 'data', 'tenant_id', 'topic', 'source'])
      .where('stream_key', '=', `dsr-request:${id}`)
      .orderBy('position')
      .execute();
    const steps = await db
      .selectFrom('dsr_request_steps')
      .select(['step', 'status', 'seq'])
      .where('request_id', '=', id)
      .execute();
    const jobs = (
      await sql<{ name: string; data: Record<string, string>; priority: number }>`
        select name, data, priority from pgboss.job where data->>'requestId' = ${id} order by name`.execute(
        db,
      )
    ).rows;
    return { request, identities, history, audit, events, steps, jobs };
  }

  test("an agent's verified access request: received, verified and in progress in one intake, its plan queued", async () => {
    const response = await submit(
      {
        type: 'access',
        identities: { email: ' Ann.Lee@Example.com ', user_id: 'u-42' },
        identityVerified: true,
      },
      agent,
    );
    assert.equal(response.statusCode, 201, response.body);
    const { id } = response.json();
    assert.equal(response.json().state, 'in_progress');
    const r = await recordOf(id);

    assert.equal(r.request.state, 'in_progress');
    assert.equal(r.request.verified_by, 'agent');
    assert.equal(r.request.source, 'agent');
    assert.equal(r.request.approval_required, false);
    assert.equal(r.request.duplicate_of, null);
    assert.equal(r.request.closed_at, null);
    const keyring = dsrKeyring(t.services.config.dsr);
    assert.equal(
      keyring.decryptText(r.request.contact_ciphertext!, contactContext(id)),
      'ann.lee@example.com',
    );
    assert.equal(r.request.contact_hash, keyring.lookupHash('default', 'contact', 'ann.lee@example.com'));
    assert.deepEqual(
      r.identities.map((i) => [
        i.name,
        i.value_hash ===
          keyring.lookupHash('default', i.name, i.name === 'email' ? 'ann.lee@example.com' : 'u-42'),
        keyring.decryptText(i.value_ciphertext!, identityContext(id, i.name)),
        i.tenant_id,
      ]),
      [
        ['email', true, 'ann.lee@example.com', 'default'],
        ['user_id', true, 'u-42', 'default'],
      ],
    );

    assert.deepEqual(
      r.history.map((h) => [h.event, h.from_state, h.to_state, h.actor_kind, h.reason, h.tenant_id]),
      [
        ['created', null, 'received', 'api_key', null, 'default'],
        ['transition', 'received', 'verified', 'api_key', 'identity verified by the agent', 'default'],
        ['transition', 'verified', 'in_progress', 'api_key', null, 'default'],
      ],
    );

    assert.deepEqual(
      r.audit.map((a) => a.action),
      ['dsr.request.created', 'dsr.request.verified', 'dsr.request.in_progress'],
    );
    for (const entry of r.audit) {
      assert.equal(entry.tenant_id, 'default');
      assert.equal(entry.subject_ref, 'email:ann.lee@example.com', 'the side record names the subject');
      assert.ok(entry.salt, 'the side record is committed to with a salt');
      assert.doesNotMatch(entry.body, /ann\.lee|u-42/i, 'no identity value in the permanent record');
      assert.ok(JSON.parse(entry.body).private, 'the entry commits to its side record');
    }
    const [created, verified, started] = r.audit.map((a) => JSON.parse(a.body));
    assert.equal(created.requestId !== undefined, true, 'the creation names the API request');
    assert.deepEqual(created.details, {
      type: 'access',
      regime: 'gdpr',
      regimeType: 'access',
      source: 'agent',
      dueAt: r.request.due_at.toISOString(),
    });
    assert.deepEqual(verified.details, { type: 'access', regime: 'gdpr', from: 'received', to: 'verified' });
    assert.equal(verified.reason, 'identity verified by the agent');
    assert.deepEqual(started.details, {
      type: 'access',
      regime: 'gdpr',
      from: 'verified',
      to: 'in_progress',
    });

    assert.deepEqual(
      r.events.map((e) => [e.type, e.stream_sequence, e.tenant_id, e.topic, e.source, e.data.requestId]),
      [
        ['dsr.request.created', 1, 'default', 'dsr.request', 'dsr', id],
        ['dsr.request.verified', 2, 'default', 'dsr.request', 'dsr', id],
        ['dsr.request.in_progress', 3, 'default', 'dsr.request', 'dsr', id],
      ],
    );
    assert.deepEqual(r.events[2]!.data, {
      requestId: id,
      type: 'access',
      regime: 'gdpr',
      from: 'verified',
      to: 'in_progress',
    });

    assert.deepEqual(r.steps, [{ step: 'plan', status: 'pending', seq: 0 }]);
    assert.deepEqual(
      r.jobs.map((j) => [j.name, j.data.notice ?? j.data.step, j.priority]),
      [
        ['dsr.notify-requester', 'acknowledgement', 0],
        ['dsr.run-step', 'plan', 0],
      ],
    );
  });

  test('a public request waits for its code: received only, the code mail queued, nothing to run', async () => {
    const response = await submit({ type: 'access', identities: { email: 'bo@example.com' } });
    assert.equal(response.statusCode, 201, response.body);
    const r = await recordOf(response.json().id);
    assert.equal(r.request.state, 'received');
    assert.equal(r.request.verified_by, null);
    assert.equal(r.request.source, 'privacy_center');
    assert.deepEqual(
      r.history.map((h) => [h.event, h.from_state, h.to_state, h.actor_kind]),
      [['created', null, 'received', 'anonymous']],
    );
    assert.deepEqual(
      r.audit.map((a) => a.action),
      ['dsr.request.created'],
    );
    assert.deepEqual(
      r.events.map((e) => [e.type, e.stream_sequence]),
      [['dsr.request.created', 1]],
    );
    assert.deepEqual(r.steps, []);
    assert.deepEqual(
      r.jobs.map((j) => [j.name, j.data.notice]),
      [['dsr.notify-requester', 'verification_code']],
    );
  });

  test('a verified erasure stops for a second person: awaiting approval, no step, no run', async () => {
    const response = await submit(
      { type: 'erasure', identities: { email: 'cy@example.com' }, identityVerified: true },
      agent,
    );
    assert.equal(response.statusCode, 201, response.body);
    const r = await recordOf(response.json().id);
    assert.equal(r.request.state, 'awaiting_approval');
    assert.equal(r.request.approval_required, true);
    assert.deepEqual(
      r.history.map((h) => [h.from_state, h.to_state]),
      [
        [null, 'received'],
        ['received', 'verified'],
        ['verified', 'awaiting_approval'],
      ],
    );
    assert.deepEqual(
      r.events.map((e) => [e.type, e.stream_sequence]),
      [
        ['dsr.request.created', 1],
        ['dsr.request.verified', 2],
        ['dsr.request.awaiting_approval', 3],
      ],
    );
    assert.deepEqual(r.steps, []);
    assert.deepEqual(
      r.jobs.map((j) => [j.name, j.data.notice]),
      [['dsr.notify-requester', 'acknowledgement']],
    );
  });

  test('a refused duplicate leaves nothing behind; a linked one names the first in its record', async () => {
    const first = await submit(
      { type: 'access', identities: { email: 'di@example.com' }, identityVerified: true },
      agent,
    );
    assert.equal(first.statusCode, 201, first.body);
    const count = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select (select count(*) from dsr_requests) + (select count(*) from audit_pending)
            + (select count(*) from event_outbox) + (select count(*) from dsr_request_history) as n`.execute(
            t.database.db,
          )
        ).rows[0]!.n,
      );
    const before = await count();
    const again = await submit(
      { type: 'access', identities: { email: 'DI@example.com' }, identityVerified: true },
      agent,
    );
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().details.existingRequestId, first.json().id);
    assert.equal(await count(), before, 'the refused intake wrote nothing');

    const linked = await submit(
      {
        type: 'access',
        identities: { email: 'di@example.com' },
        identityVerified: true,
        onDuplicate: 'link',
      },
      agent,
    );
    assert.equal(linked.statusCode, 201, linked.body);
    const r = await recordOf(linked.json().id);
    assert.equal(r.request.duplicate_of, first.json().id);
    assert.equal(JSON.parse(r.audit[0]!.body).details.duplicateOf, first.json().id);
    assert.equal(r.events[0]!.data.duplicateOf, first.json().id);
  });

  test('concurrent intakes naming the same person: exactly one is taken, the others are refused as duplicates', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        submit(
          {
            type: 'access',
            identities: { email: i % 2 ? 'eve@example.com' : 'EVE@example.com' },
            identityVerified: true,
          },
          agent,
        ),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.statusCode).sort(),
      [201, 409, 409, 409, 409, 409],
      answers.map((a) => a.body).join('\n'),
    );
    const stored = await t.database.db
      .selectFrom('dsr_request_identities')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(
        'value_hash',
        '=',
        dsrKeyring(t.services.config.dsr).lookupHash('default', 'email', 'eve@example.com'),
      )
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 1);
  });

  test('concurrent intakes naming two identities in either order: one is taken, none deadlocks', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        submit(
          {
            type: 'access',
            identities:
              i % 2
                ? { email: 'fay@example.com', user_id: 'u-fay' }
                : { user_id: 'u-fay', email: 'fay@example.com' },
            identityVerified: true,
          },
          agent,
        ),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.statusCode).sort(),
      [201, 409, 409, 409, 409, 409],
      answers.map((a) => a.body).join('\n'),
    );
  });
});
