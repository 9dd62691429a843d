import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';

/**
 * Issue 12, item 5: one privacy-officer key submitted an erasure with `identityVerified: true` and
 * approved it itself. Under the tenant's four-eyes policy (on by default) an erasure always waits
 * for approval, and neither its submitter nor its verifier may give it.
 */
describe('four eyes on erasures', () => {
  let t: DsrTestApp;
  before(async () => {
    // dsr.approvalRequired leaves erasures out: the tenant policy holds them anyway. Tenant "relaxed" turns it off.
    t = await startDsrTestApp({
      dsr: { approvalRequired: [] },
      config: { auth: { separationOfDuties: { requests: true, tenants: { relaxed: { requests: false } } } } },
    });
  });
  after(() => t.close());

  const anotherOfficer = async (tenantId = 'default') => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('owner', tenantId),
      payload: { name: 'second officer', role: 'privacy_officer' },
    });
    assert.equal(created.statusCode, 201, created.body);
    return { authorization: `Bearer ${created.json().key}` };
  };
  const submitErasure = async (headers: Record<string, string>, email: string) => {
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers,
      payload: { type: 'erasure', identities: { email }, identityVerified: true },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    return submitted.json() as { id: string; state: string; approvalRequired: boolean };
  };
  const approve = async (headers: Record<string, string>, id: string) =>
    t.app.inject({ method: 'POST', url: `/v1/requests/${id}/approve`, headers, payload: {} });

  test('the officer who submitted and verified an erasure cannot approve it; a second officer can', async () => {
    const officer = await t.headers('privacy_officer');
    const erasure = await submitErasure(officer, 'ann@example.com');
    assert.equal(
      erasure.state,
      'awaiting_approval',
      'held although dsr.approvalRequired leaves erasures out',
    );
    assert.equal(erasure.approvalRequired, true);

    const selfApproval = await approve(officer, erasure.id);
    assert.equal(selfApproval.statusCode, 403, selfApproval.body);
    assert.equal(selfApproval.json().code, 'dsr.four_eyes');
    assert.deepEqual(selfApproval.json().details.roles, ['submitter', 'verifier']);
    assert.match(selfApproval.json().detail, /second person/);

    const approved = await approve(await anotherOfficer(), erasure.id);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().state, 'in_progress');
  });

  test('a tenant whose policy is off runs an erasure without waiting', async () => {
    const erasure = await submitErasure(await t.headers('privacy_officer', 'relaxed'), 'bob@example.com');
    assert.equal(erasure.state, 'in_progress');
    assert.equal(erasure.approvalRequired, false);
  });
});
