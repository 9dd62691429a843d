import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DsrPlan } from '../../dsr/api.ts';
import { planDiffOf } from './plan-diff.ts';

const customersStep = {
  id: 'crm.customers',
  collection: 'customers',
  target: { collection: 'customers' },
  depth: 0,
  sources: [{ kind: 'identity' as const, identity: 'email', column: 'email', lowercase: true }],
  columns: ['id', 'email', 'name'],
  statement: 'select … where lower(email) = $1',
  estimatedRows: 1,
};
const invoicesStep = {
  id: 'crm.invoices',
  collection: 'invoices',
  target: { collection: 'invoices' },
  depth: 1,
  sources: [
    {
      kind: 'reference' as const,
      parent: 'crm.customers',
      columns: ['customer_id'],
      parentColumns: ['id'],
      via: 'invoices.customer_id → customers.id',
    },
  ],
  columns: ['id', 'customer_id', 'total'],
  statement: 'select … where customer_id in (…)',
};

/** An erasure plan as the planner writes it, for one subject whose e-mail is in it. */
function anErasurePlan(): DsrPlan {
  return {
    version: 1,
    kind: 'erasure',
    tenant: 'default',
    identities: [{ name: 'email', match: 'case_insensitive', values: ['ana@example.com'] }],
    systems: [
      {
        system: 'crm',
        kind: 'postgres',
        steps: [customersStep, invoicesStep],
        erasure: {
          collections: [
            {
              step: 'crm.customers',
              action: 'mask',
              masks: [{ field: 'name', strategy: { strategy: 'fixed_value', value: 'erased' } }],
              fieldHolds: [],
              inbound: [],
            },
            {
              step: 'crm.invoices',
              action: 'keep',
              masks: [],
              hold: {
                ground: 'legal_obligation',
                article: 'Art. 17(3)(b)',
                period: '10y',
                anchor: 'issued_at',
                reason: 'Tax law',
              },
              fieldHolds: [
                { field: 'total', ground: 'legal_claims', article: 'Art. 17(3)(e)', reason: 'Open dispute' },
              ],
              inbound: [],
            },
          ],
          operations: [],
        },
      },
    ],
    unreached: [{ system: 'crm', collection: 'audit_trail', reason: 'no identity reaches it' }],
    errors: [],
    notes: [{ code: 'note', message: 'invoices.customer_id is not followed to the recipient' }],
  } as unknown as DsrPlan;
}

test('an erasure diff says per collection what is masked and what a legal hold keeps, with the article', () => {
  const diff = planDiffOf(anErasurePlan());
  assert.deepEqual(diff.identities, [{ name: 'email', values: 1 }]);
  const [customers, invoices] = diff.systems[0]!.collections;
  assert.deepEqual(customers, {
    collection: 'customers',
    reachedBy: ['email = email (case-insensitive)'],
    depth: 0,
    estimatedRows: 1,
    change: 'mask',
    fields: [{ field: 'name', change: 'mask', detail: 'fixed_value' }],
    holds: [],
  });
  assert.equal(invoices!.change, 'keep');
  assert.deepEqual(invoices!.reachedBy, ['invoices.customer_id → customers.id']);
  assert.deepEqual(invoices!.fields, [{ field: 'total', change: 'keep', detail: 'Art. 17(3)(e)' }]);
  assert.deepEqual(invoices!.holds, [
    {
      ground: 'legal_obligation',
      article: 'Art. 17(3)(b)',
      period: '10y',
      anchor: 'issued_at',
      reason: 'Tax law',
    },
    { field: 'total', ground: 'legal_claims', article: 'Art. 17(3)(e)', reason: 'Open dispute' },
  ]);
  assert.deepEqual(diff.unreached, [
    { system: 'crm', collection: 'audit_trail', reason: 'no identity reaches it' },
  ]);
  assert.deepEqual(diff.notes, ['invoices.customer_id is not followed to the recipient']);
});

test('no identity value appears in a diff', () => {
  assert.doesNotMatch(JSON.stringify(planDiffOf(anErasurePlan())), /ana@example\.com/);
});

test('an access diff reads every mapped field; a rectification diff names the corrected fields but not their new values', () => {
  const access = planDiffOf({
    ...anErasurePlan(),
    kind: 'access',
    systems: [{ system: 'crm', kind: 'postgres', steps: [customersStep] }],
  } as unknown as DsrPlan);
  assert.equal(access.systems[0]!.collections[0]!.change, 'read');
  assert.deepEqual(
    access.systems[0]!.collections[0]!.fields.map((f) => f.field),
    ['id', 'email', 'name'],
  );
  const rectification = planDiffOf({
    ...anErasurePlan(),
    kind: 'rectification',
    systems: [
      {
        system: 'crm',
        kind: 'postgres',
        steps: [customersStep, invoicesStep],
        rectification: [{ step: 'crm.customers', set: { name: 'Ana Newname' }, statement: 'update …' }],
      },
    ],
  } as unknown as DsrPlan);
  const [customers, invoices] = rectification.systems[0]!.collections;
  assert.deepEqual(customers!.fields, [{ field: 'name', change: 'set' }]);
  assert.equal(customers!.change, 'update');
  assert.equal(invoices!.change, 'none');
  assert.doesNotMatch(JSON.stringify(rectification), /Newname/);
});
