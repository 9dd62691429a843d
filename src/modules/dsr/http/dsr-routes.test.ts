import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';

describe(`/v1/requests API`, () => {
  let t: DsrTestApp;
  let agent: Record<string, string>;
  let officer: Record<string, string>;
  let auditor: Record<string, string>;

  before(async () => {
    // No worker: requests stop where a job would take over, so each state can be inspected.
    t = await startDsrTestApp({ dsr: { approvalRequired: ['erasure'] } });
    agent = await t.headers('request_agent');
    officer = await t.headers('privacy_officer');
    auditor = await t.headers('auditor');
  });
  after(() => t.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

  async function agentSubmits(payload: object) {
    const response = await post('/v1/requests', { identityVerified: true, ...payload }, agent);
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  test('the public intake answers with nothing it was not given; the agent intake with the whole record', async () => {
    const pub = await post('/v1/requests', { type: 'know', identities: { email: 'frank@example.com' } });
    assert.equal(pub.statusCode, 201, pub.body);
    assert.deepEqual(Object.keys(pub.json()).sort(), [
      'dueAt',
      'id',
      'receivedAt',
      'regime',
      'state',
      'type',
    ]);
    assert.equal(pub.json().type, 'access');
    assert.equal(pub.json().regime, 'ccpa');

    const byAgent = await agentSubmits({
      type: 'erasure',
      identities: { email: 'gina@example.com', user_id: 'u-17' },
    });
    assert.equal(byAgent.state, 'awaiting_approval', 'verified by the agent, erasure needs approval');
    assert.equal(byAgent.verifiedBy, 'agent');
    assert.equal(byAgent.source, 'agent');
    assert.equal(byAgent.regimeType, 'erasure');
  });

  test('approving with no body at all (curl -X POST) works; denying without one names the missing reason', async () => {
    const request = await agentSubmits({ type: 'erasure', identities: { email: 'ines@example.com' } });
    const bare = (url: string) => t.app.inject({ method: 'POST', url, headers: officer });

    const denied = await bare(`/v1/requests/${request.id}/deny`);
    assert.equal(denied.statusCode, 400, denied.body);
    assert.match(denied.json().detail, /^The request is not valid: body\.reason: /);

    const approved = await bare(`/v1/requests/${request.id}/approve`);
    assert.equal(approved.statusCode, 200, approved.body);
    const stored = await t.database.db
      .selectFrom('dsr_requests')
      .select('state')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.state, 'in_progress');
  });

  test('an erasure waits for a person with dsr:approve; a request agent may not approve it', async () => {
    const request = await agentSubmits({ type: 'erasure', identities: { email: 'hugo@example.com' } });
    const refused = await post(`/v1/requests/${request.id}/approve`, {}, agent);
    assert.equal(refused.statusCode, 403);
    const approved = await post(
      `/v1/requests/${request.id}/approve`,
      { note: 'checked the account' },
      officer,
    );
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().state, 'in_progress');
    const steps = await t.database.db
      .selectFrom('dsr_request_steps')
      .select(['step', 'status'])
      .where('request_id', '=', request.id)
      .execute();
    assert.deepEqual(
      steps,
      [{ step: 'plan', status: 'pending' }],
      'the first durable step is waiting for a worker',
    );

    const cancel = await post(`/v1/requests/${request.id}/cancel`, {}, agent);
    assert.equal(cancel.statusCode, 409);
    assert.equal(cancel.json().code, 'dsr.invalid_transition');
    assert.match(cancel.json().detail, /cannot go from in_progress to cancelled/);
  });

  test('a duplicate open request for the same identity is refused with the existing id, or linked by an agent', async () => {
    const first = await post('/v1/requests', { type: 'erasure', identities: { email: 'Ida@Example.com' } });
    assert.equal(first.statusCode, 201);
    const again = await post('/v1/requests', { type: 'erasure', identities: { email: 'ida@example.COM ' } });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'dsr.duplicate');
    assert.equal(again.json().details.existingRequestId, first.json().id);

    const otherType = await post('/v1/requests', {
      type: 'access',
      identities: { email: 'ida@example.com' },
    });
    assert.equal(otherType.statusCode, 201, 'a different right is not a duplicate');

    const viaAgent = await post(
      '/v1/requests',
      {
        type: 'erasure',
        identities: { phone: '+44 20 7946 0000', email: 'ida@example.com' },
        contactEmail: 'lawyer@firm.example',
      },
      agent,
    );
    assert.equal(viaAgent.statusCode, 409);
    assert.equal(viaAgent.json().details.existingRequestId, first.json().id);
    const linked = await post(
      '/v1/requests',
      { type: 'erasure', identities: { email: 'ida@example.com' }, onDuplicate: 'link' },
      agent,
    );
    assert.equal(linked.statusCode, 201);
    assert.equal(linked.json().duplicateOf, first.json().id);

    // Closing the first frees the identity again.
    assert.equal(
      (await post(`/v1/requests/${first.json().id}/cancel`, { reason: 'withdrawn by phone' }, agent))
        .statusCode,
      200,
    );
    assert.equal((await post(`/v1/requests/${linked.json().id}/cancel`, {}, agent)).statusCode, 200);
    assert.equal(
      (await post('/v1/requests', { type: 'erasure', identities: { email: 'ida@example.com' } })).statusCode,
      201,
    );
  });

  test('deny needs a reason, closes the request, and a closed request cannot be denied again', async () => {
    const request = await agentSubmits({ type: 'erasure', identities: { email: 'jon@example.com' } });
    const noReason = await post(`/v1/requests/${request.id}/deny`, {}, officer);
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.json().detail, /reason/);
    const denied = await post(
      `/v1/requests/${request.id}/deny`,
      { reason: 'manifestly unfounded (Art. 12(5))' },
      officer,
    );
    assert.equal(denied.statusCode, 200);
    assert.equal(denied.json().state, 'denied');
    assert.equal(denied.json().outcomeReason, 'manifestly unfounded (Art. 12(5))');
    assert.ok(denied.json().closedAt);
    const twice = await post(`/v1/requests/${request.id}/deny`, { reason: 'again' }, officer);
    assert.equal(twice.statusCode, 409);
    assert.match(twice.json().detail, /from denied to denied\. denied is final/);
  });

  test('extensions follow the regime and need a reason', async () => {
    const gdpr = await agentSubmits({ type: 'erasure', identities: { email: 'kim@example.com' } });
    const noReason = await post(`/v1/requests/${gdpr.id}/extend`, { months: 1 }, agent);
    assert.equal(noReason.statusCode, 400);
    const once = await post(
      `/v1/requests/${gdpr.id}/extend`,
      { months: 1, reason: 'many systems involved' },
      agent,
    );
    assert.equal(once.statusCode, 200, once.body);
    assert.deepEqual(once.json().extension, { amount: 1, unit: 'months', reason: 'many systems involved' });
    assert.ok(new Date(once.json().dueAt) > new Date(once.json().originalDueAt));
    const tooMuch = await post(
      `/v1/requests/${gdpr.id}/extend`,
      { months: 2, reason: 'still complex' },
      agent,
    );
    assert.equal(tooMuch.statusCode, 400);
    assert.match(tooMuch.json().detail, /between 1 and 1/);

    const ccpa = await agentSubmits({ type: 'delete', identities: { email: 'lea@example.com' } });
    assert.ok(ccpa.confirmationDueAt, 'CCPA requests have a confirmation deadline');
    const extended = await post(`/v1/requests/${ccpa.id}/extend`, { reason: 'records in archives' }, agent);
    assert.equal(extended.json().extension.amount, 45);
    const second = await post(`/v1/requests/${ccpa.id}/extend`, { reason: 'more' }, agent);
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().code, 'dsr.extension_exhausted');
    const history = await t.database.db
      .selectFrom('dsr_request_history')
      .select(['event', 'reason'])
      .where('request_id', '=', ccpa.id)
      .where('event', '=', 'extended')
      .execute();
    assert.deepEqual(history, [{ event: 'extended', reason: 'records in archives' }]);
  });

  test('overdue requests are found with the overdue filter; state and type filter too', async () => {
    const received = new Date(Date.now() - 70 * 24 * 3600 * 1000).toISOString();
    const late = await agentSubmits({
      type: 'access',
      identities: { email: 'max@example.com' },
      receivedAt: received,
    });
    assert.equal(late.overdue, true);
    const overdue = await get('/v1/requests?overdue=true', agent);
    assert.equal(overdue.statusCode, 200);
    assert.deepEqual(
      overdue.json().items.map((r: { id: string }) => r.id),
      [late.id],
    );

    const erasures = await get('/v1/requests?type=erasure&state=awaiting_approval,denied', auditor);
    assert.equal(erasures.statusCode, 200);
    assert.ok(erasures.json().items.length > 0);
    for (const item of erasures.json().items) {
      assert.equal(item.type, 'erasure');
      assert.ok(['awaiting_approval', 'denied'].includes(item.state));
    }
    const page = await get('/v1/requests?limit=2', agent);
    assert.equal(page.json().items.length, 2);
    const next = await get(`/v1/requests?limit=2&cursor=${page.json().nextCursor}`, agent);
    assert.notEqual(next.json().items[0].id, page.json().items[0].id);
    assert.equal((await get('/v1/requests?state=lost', agent)).statusCode, 400);
  });

  test('the detail shows identities while the request is open, and reading them is audited', async () => {
    const request = await agentSubmits({
      type: 'access',
      identities: { email: 'nia@example.com', user_id: 'u-99' },
    });
    const detail = await get(`/v1/requests/${request.id}`, auditor);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(detail.json().identities, [
      { name: 'email', value: 'nia@example.com' },
      { name: 'user_id', value: 'u-99' },
    ]);
    assert.deepEqual(
      detail.json().history.map((h: { to: string }) => h.to),
      ['received', 'verified', 'in_progress'],
    );
    const audit = await t.database.db.selectFrom('audit_pending').select('body').execute();
    assert.ok(
      audit.some((row) => row.body.includes('"dsr.request.viewed"') && row.body.includes(request.id)),
    );
    assert.ok(!audit.some((row) => row.body.includes('nia@example.com')), 'no identity in audit entries');
  });

  test('bad input gets a 4xx that says what to fix', async () => {
    const cases: [object, number, RegExp][] = [
      [{ type: 'access', identities: {} }, 400, /at least one identity/],
      [{ type: 'access', identities: { email: 'not-an-email' } }, 400, /not an email address/],
      [{ type: 'access', identities: { phone: '12' } }, 400, /international form|email identity/],
      [
        { type: 'access', identities: { loyalty_card: 'L-1', email: 'o@example.com' } },
        400,
        /Unknown identity loyalty_card/,
      ],
      [{ type: 'know', regime: 'gdpr', identities: { email: 'o@example.com' } }, 400, /CCPA request type/],
      [{ type: 'rectification', identities: { email: 'o@example.com' } }, 400, /needs "corrections"/],
      [
        { type: 'access', identities: { email: 'o@example.com' }, identityVerified: true },
        400,
        /authenticated agent/,
      ],
      [{ type: 'steal', identities: { email: 'o@example.com' } }, 400, /body\.type/],
    ];
    for (const [payload, status, message] of cases) {
      const response = await post('/v1/requests', payload);
      assert.equal(response.statusCode, status, `${JSON.stringify(payload)} → ${response.body}`);
      assert.match(response.json().detail, message);
    }
    const missing = await get('/v1/requests/00000000-0000-4000-8000-000000000000', agent);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'dsr.not_found');
    assert.equal((await get('/v1/requests', {})).statusCode, 401);
    const wrongPermission = await post(
      '/v1/requests/00000000-0000-4000-8000-000000000000/approve',
      {},
      auditor,
    );
    assert.equal(wrongPermission.statusCode, 403);
  });

  test('anonymous intake is rate limited per client, agents are not held back by it', async () => {
    let limited: { statusCode: number; json(): { code: string } } | undefined;
    for (let i = 0; i < 25 && !limited; i++) {
      const response = await post('/v1/requests', { type: 'access', identities: {} });
      if (response.statusCode === 429) limited = response;
    }
    assert.ok(limited, 'the public intake answered 429 within 25 attempts a minute');
    assert.equal(limited.json().code, 'request.rate_limited');
    const byAgent = await post(
      '/v1/requests',
      { type: 'access', identities: { email: 'pia@example.com' }, identityVerified: true },
      agent,
    );
    assert.equal(byAgent.statusCode, 201);
  });
});
