import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { createCrmFixture, type CrmFixture } from '../test-support/crm-fixture.ts';

describe('the console API on PostgreSQL with a real CRM', () => {
  let crm: CrmFixture;
  let t: TestApp;
  let erasureId: string;

  before(async () => {
    crm = await createCrmFixture();
    t = await startTestApp({ config: { datamap: { path: crm.dataMapDir } } });
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: await t.headers('request_agent'),
      payload: { type: 'erasure', identities: { email: 'Ana@Example.com' }, identityVerified: true },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    erasureId = submitted.json().id;
  });
  after(async () => {
    await t?.close();
    await crm?.close();
  });

  test('the plan of an erasure reads as a diff: masked customer fields, invoices kept under Art. 17(3)(b), no identity value', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/v1/console/requests/${erasureId}/plan?estimate=true`,
      headers: await t.headers('auditor'),
    });
    assert.equal(response.statusCode, 200, response.body);
    const plan = response.json();
    assert.doesNotMatch(response.body, /ana@example\.com/i, 'the diff holds no identity value');
    assert.deepEqual(plan.identities, [{ name: 'email', values: 1 }]);
    const [crmPlan] = plan.systems;
    const customers = crmPlan.collections.find((c: { collection: string }) => c.collection === 'customers');
    const invoices = crmPlan.collections.find((c: { collection: string }) => c.collection === 'invoices');
    assert.equal(customers.change, 'mask');
    assert.deepEqual(
      customers.fields.map((f: { field: string; change: string }) => `${f.field}:${f.change}`).sort(),
      ['email:mask', 'name:mask'],
    );
    assert.equal(customers.estimatedRows, 1);
    assert.equal(invoices.change, 'keep');
    assert.equal(invoices.estimatedRows, 2, "Ana's two invoices, counted on the CRM");
    assert.deepEqual(invoices.holds, [
      {
        ground: 'legal_obligation',
        article: 'Art. 17(3)(b)',
        period: '10y',
        anchor: 'issued_at',
        reason: 'Tax law keeps invoices ten years',
      },
    ]);
    const audit = await t.database.db
      .selectFrom('audit_pending')
      .select('action')
      .where('action', '=', 'dsr.request.plan_read')
      .execute();
    assert.equal(audit.length, 1, 'reading the plan is audited');
  });

  test('a plan needs dsr:read, and a request type without a plan says why', async () => {
    const developer = await t.app.inject({
      method: 'GET',
      url: `/v1/console/requests/${erasureId}/plan`,
      headers: await t.headers('developer'),
    });
    assert.equal(developer.statusCode, 403);
    const objection = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: await t.headers('request_agent'),
      payload: { type: 'objection', identities: { email: 'ben@example.com' }, identityVerified: true },
    });
    const noPlan = await t.app.inject({
      method: 'GET',
      url: `/v1/console/requests/${objection.json().id}/plan`,
      headers: await t.headers('auditor'),
    });
    assert.equal(noPlan.statusCode, 404);
    assert.equal(noPlan.json().code, 'web.no_plan');
  });

  test("a person's requests are found by an identity however it is typed, and the search is audited", async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/v1/console/requests/search?identity=email&value=%20ANA@example.COM',
      headers: await t.headers('request_agent'),
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      response.json().items.map((item: { id: string }) => item.id),
      [erasureId],
    );
    const none = await t.app.inject({
      method: 'GET',
      url: '/v1/console/requests/search?identity=email&value=nobody@example.com',
      headers: await t.headers('request_agent'),
    });
    assert.deepEqual(none.json().items, []);
    const audited = await t.database.db
      .selectFrom('audit_pending')
      .select(['action', 'subject_ref'])
      .where('action', '=', 'dsr.request.searched')
      .execute();
    assert.equal(audited.length, 2);
    assert.equal(
      audited[0]!.subject_ref,
      'ana@example.com',
      'the identity is the subject reference (pseudonymised by the audit log)',
    );
  });

  test('the dashboard has a section for each area the role may read, and only those', async () => {
    const owner = (
      await t.app.inject({ method: 'GET', url: '/v1/console/dashboard', headers: await t.headers('owner') })
    ).json();
    assert.deepEqual(Object.keys(owner).sort(), [
      'audit',
      'consent',
      'events',
      'generatedAt',
      'requests',
      'retention',
    ]);
    assert.equal(owner.requests.open, 2);
    assert.equal(
      owner.requests.awaitingApproval,
      1,
      'the erasure waits for approval (dsr.approvalRequired default)',
    );
    const agent = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/console/dashboard',
        headers: await t.headers('request_agent'),
      })
    ).json();
    assert.deepEqual(Object.keys(agent).sort(), ['consent', 'generatedAt', 'requests']);
    const developer = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/console/dashboard',
        headers: await t.headers('developer'),
      })
    ).json();
    assert.deepEqual(Object.keys(developer), ['generatedAt']);
  });

  test('the sign-in page learns whether single sign-on is configured, without credentials', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/console/sign-in-options' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { oidc: false });
  });
});
