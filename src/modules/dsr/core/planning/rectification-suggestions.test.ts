import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { planRectification } from './index.ts';

const SHOP = `tenant: default
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
          - { name: id, type: integer, nullable: false }
          - { name: email, type: text, nullable: false, categories: [user.contact.email], identity: email }
          - { name: first_name, type: text, categories: [user.name.first] }
`;

function aShop(): DataMap {
  const validation = validateDataMapText('shop.yaml', SHOP);
  assert.deepEqual(
    validation.problems.filter((p) => p.severity === 'error'),
    [],
  );
  return validation.dataMaps[0]!;
}

test('a correction nothing holds names the nearest category, identity or field the data map has', () => {
  const messages = (target: Parameters<typeof planRectification>[2][number]['target']) =>
    planRectification(aShop(), { email: ['a@example.com'] }, [{ target, value: 'Ann' }]).errors.map(
      (e) => e.message,
    );
  assert.deepEqual(messages({ category: 'user.name.frist' }), [
    'No field of the subject\'s data holds category user.name.frist. Did you mean "user.name.first"? Check the category, identity or field name.',
  ]);
  assert.deepEqual(messages({ system: 'shop', collection: 'customers', field: 'firstname' }), [
    'No field of the subject\'s data holds shop.customers.firstname. Did you mean "shop.customers.first_name"? Check the category, identity or field name.',
  ]);
  assert.deepEqual(messages({ category: 'user.financial' }), [
    "No field of the subject's data holds category user.financial. Check the category, identity or field name.",
  ]);
});
