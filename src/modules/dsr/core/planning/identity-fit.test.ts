import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { unmatchableIdentities } from './identity-fit.ts';

/** A shop whose customer number is an integer key in one system and a short code in another. */
function aShopWithCustomerNumbers(): DataMap {
  const validation = validateDataMapText(
    'shop.yaml',
    `tenant: default
identities:
  customer_id: { match: exact }
  member_code: { match: exact }
  device: { match: exact }
systems:
  - id: shop
    kind: postgres
    role: controller
    connection: { url: env:SHOP_URL }
    collections:
      - name: customers
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false, identity: customer_id, categories: [user.unique_id] }
          - { name: email, type: text, nullable: false, identity: email, categories: [user.contact.email] }
          - { name: member_code, type: char(6), identity: member_code, categories: [user.unique_id] }
          - { name: last_ip, type: inet, identity: device, categories: [user.device.ip_address] }
  - id: crm
    kind: postgres
    role: controller
    connection: { url: env:CRM_URL }
    collections:
      - name: contacts
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: uuid, nullable: false, identity: customer_id, categories: [user.unique_id] }
`,
  );
  assert.deepEqual(
    validation.problems.filter((p) => p.severity === 'error'),
    [],
  );
  return validation.dataMaps[0]!;
}

const notPhone = () => false;

test('a value no field of its identity can hold is unmatchable, with each field and why', () => {
  const found = unmatchableIdentities(
    aShopWithCustomerNumbers(),
    { email: 'ann@example.com', customer_id: '5 OR 1=1', member_code: 'ABCDEFGH' },
    notPhone,
  );
  assert.deepEqual(found, [
    {
      identity: 'customer_id',
      fields: [
        { field: 'shop.customers.id', reason: 'integer holds whole numbers' },
        { field: 'crm.contacts.id', reason: 'uuid holds UUIDs' },
      ],
    },
    {
      identity: 'member_code',
      fields: [{ field: 'shop.customers.member_code', reason: 'char(6) holds at most 6 characters' }],
    },
  ]);
  assert.ok(!JSON.stringify(found).includes('OR 1=1'), 'the value is never echoed');
});

test('a value one field can hold, a type Steward cannot check, or an identity no field holds is not refused', () => {
  const found = unmatchableIdentities(
    aShopWithCustomerNumbers(),
    { customer_id: '42', device: 'not an address', user_id: 'anything' },
    notPhone,
  );
  assert.deepEqual(found, []);
});
