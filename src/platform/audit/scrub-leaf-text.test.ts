import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEventInput } from './audit-event.ts';
import { scrubLeafText, SUBJECT_PLACEHOLDER } from './scrub-leaf-text.ts';

const aFailedRequest = (
  subjectRef: string,
  reason: string,
  details?: Record<string, unknown>,
): AuditEventInput => ({
  tenantId: 'default',
  actor: { kind: 'system', id: 'steward' },
  action: 'dsr.request.failed',
  object: { type: 'dsr_request', id: 'r1' },
  outcome: 'failure',
  subjectRef,
  reason,
  ...(details ? { details } : {}),
});

test('the subject value never reaches a leaf, whatever identity it came under', () => {
  const scrubbed = scrubLeafText(
    aFailedRequest('customer_id:CUST-0931-LEAK', 'crm: no row for cust-0931-leak in members', {
      steps: [{ error: 'lookup of CUST-0931-LEAK failed' }],
      rows: 3,
    }),
  );
  assert.equal(scrubbed.reason, `crm: no row for ${SUBJECT_PLACEHOLDER} in members`);
  assert.deepEqual(scrubbed.details, {
    steps: [{ error: `lookup of ${SUBJECT_PLACEHOLDER} failed` }],
    rows: 3,
  });
});

test('a reason written by a driver or a person is cleared of names, emails and phone numbers', () => {
  const { reason } = scrubLeafText(
    aFailedRequest(
      'email:ann@example.com',
      'crm: invalid input syntax for type inet: "Janet Leakname"; reached bob@example.org on +44 7700 900461',
    ),
  );
  assert.ok(!/Janet|Leakname|bob@|7700/.test(reason!), reason);
  assert.match(reason!, /^crm: invalid input syntax for type inet/);
});

test("Steward's own reasons stay as written", () => {
  for (const reason of [
    'identity verified by the agent',
    'one-time code confirmed',
    '§147 AO: accounting records are kept 10 years',
    'approved',
  ])
    assert.equal(scrubLeafText(aFailedRequest('email:ann@example.com', reason)).reason, reason);
});

test('a short subject value is replaced as a whole word only, never inside ids, digests or an anchor', () => {
  const anchor = {
    table: 'consent_ledger',
    id: '0123e4567-e89b-12d3-a456-426614174123',
    sha256: 'ab123cd'.repeat(9),
  };
  const scrubbed = scrubLeafText(
    aFailedRequest('123', 'subject 123 has entry 1234 and r-123', {
      request: '123e4567-e89b-12d3-a456-426614174123',
      digest: 'f123'.repeat(16),
      anchor,
    }),
  );
  assert.equal(scrubbed.reason, `subject ${SUBJECT_PLACEHOLDER} has entry 1234 and r-${SUBJECT_PLACEHOLDER}`);
  assert.deepEqual(scrubbed.details, {
    request: '123e4567-e89b-12d3-a456-426614174123',
    digest: 'f123'.repeat(16),
    anchor,
  });
});

test('a pattern built for one string of an event serves its other strings too', () => {
  const scrubbed = scrubLeafText(
    aFailedRequest('email:Ann@Example.com', 'no reply from ann@example.com', {
      first: 'ANN@EXAMPLE.COM bounced',
      untouched: 'nothing of hers here',
      last: ['again ann@example.com', 'and Ann@Example.com'],
    }),
  );
  assert.equal(scrubbed.reason, `no reply from ${SUBJECT_PLACEHOLDER}`);
  assert.deepEqual(scrubbed.details, {
    first: `${SUBJECT_PLACEHOLDER} bounced`,
    untouched: 'nothing of hers here',
    last: [`again ${SUBJECT_PLACEHOLDER}`, `and ${SUBJECT_PLACEHOLDER}`],
  });
});
