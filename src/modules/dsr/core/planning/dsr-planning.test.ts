import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { planAccess, planErasure, planRectification } from './index.ts';

/** A data map from YAML, through the real loader. */
function aDataMap(collections: string): DataMap {
  const validation = validateDataMapText(
    'test.yaml',
    `tenant: default
systems:
  - id: app
    kind: postgres
    role: controller
    connection: { url: env:APP_URL }
    collections:
${collections}`,
  );
  const errors = validation.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, []);
  return validation.dataMaps[0]!;
}

const users = `
      - name: users
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - { name: email, type: text, nullable: false, categories: [user.contact.email], identity: email }`;

test('a cycle of NOT NULL restricting foreign keys cannot be ordered and is a plan error that names it', () => {
  const dataMap = aDataMap(`${users}
      - name: teams
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: owner_id
            type: integer
            nullable: false
            references: [{ field: users.id, direction: from, onDelete: restrict }]
          - name: lead_id
            type: integer
            nullable: false
            references: [{ field: memberships.id, direction: to, onDelete: restrict }]
      - name: memberships
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: team_id
            type: integer
            nullable: false
            references: [{ field: teams.id, direction: from, onDelete: restrict }]`);
  const plan = planErasure(dataMap, { email: ['a@example.com'] });
  assert.deepEqual(
    plan.errors.map((e) => e.code),
    ['erasure.cycle'],
  );
  assert.match(
    plan.errors[0]!.message,
    /teams\.lead_id → memberships\.id.*memberships\.team_id → teams\.id|memberships\.team_id → teams\.id.*teams\.lead_id → memberships\.id/,
  );
});

test('an access plan is plain data that survives JSON, reads parents before children, and says why a collection is not reached', () => {
  const dataMap = aDataMap(`${users}
      - name: posts
        primaryKey: [id]
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: author_id
            type: integer
            references: [{ field: users.id, direction: from }]
      - name: devices
        primaryKey: [id]
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - { name: phone, type: text, categories: [user.contact.phone_number], identity: phone }`);
  const plan = planAccess(dataMap, { email: [' A@Example.COM ', 'a@example.com'] });
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  assert.deepEqual(plan.identities, [
    { name: 'email', match: 'case_insensitive', values: ['a@example.com'] },
  ]);
  assert.deepEqual(
    plan.systems[0]!.steps.map((s) => [s.collection, s.depth]),
    [
      ['users', 0],
      ['posts', 1],
    ],
  );
  assert.equal(
    plan.systems[0]!.steps[1]!.statement,
    'SELECT "id", "author_id" FROM "posts" WHERE "author_id" = ANY($1) ORDER BY "id" LIMIT 1000',
  );
  assert.match(plan.unreached[0]!.reason, /found by phone, which the request does not supply/);
});

test('an unknown identity and a rectification of a key are refused with what to fix', () => {
  const dataMap = aDataMap(users);
  assert.throws(() => planAccess(dataMap, { shoe_size: ['42'] }), { code: 'dsr.unknown_identity' });
  const plan = planRectification(dataMap, { email: ['a@example.com'] }, [
    { target: { system: 'app', collection: 'users', field: 'id' }, value: 7 },
  ]);
  assert.deepEqual(
    plan.errors.map((e) => e.code),
    ['rectification.key_field'],
  );
});
