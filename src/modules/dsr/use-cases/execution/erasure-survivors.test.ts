import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createSourceSystem,
  SOURCE_KINDS,
  type SourceKind,
  type TestSourceSystem,
} from '../../../../../test/support/test-source-systems.ts';
import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { planErasure } from '../../core/planning/index.ts';
import { runErasureForSystem } from './index.ts';

process.env.TEST_SURVIVORS_HMAC_KEY = 'survivors-hmac-key-0123456789abcdef';

/**
 * The check after an erasure reads the system again and believes nothing the executor counted:
 * here the database itself undoes part of the work as the subject's customer row goes (triggers,
 * as a replica catching up or an application writing behind Steward's back would), after every
 * statement of the erasure reported success. Each way back is one path of the check: a deleted
 * row back under its key, a row of a collection deleted without reading, a row without a key back
 * with its old values, a row the data map says the database deletes with its parent (ON DELETE
 * CASCADE) when the database has no such key.
 */
const SCHEMA = `
  CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100));
  CREATE TABLE addresses (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, street VARCHAR(100) NOT NULL);
  CREATE TABLE deliveries (id INTEGER PRIMARY KEY, address_id INTEGER NOT NULL, note VARCHAR(100));
  CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, body VARCHAR(200) NOT NULL);
  CREATE TABLE visits (customer_id INTEGER NULL, ip VARCHAR(64) NOT NULL);
  CREATE TABLE parcels (id INTEGER PRIMARY KEY, address_id INTEGER NOT NULL, label VARCHAR(100) NOT NULL);
  INSERT INTO customers VALUES (1, 'ann@example.com', 'Ann'), (2, 'bob@example.com', 'Bob');
  INSERT INTO addresses VALUES (10, 1, '1 Tea Street'), (20, 2, '2 Cup Street');
  INSERT INTO deliveries VALUES (100, 10, 'back door'), (200, 20, NULL);
  INSERT INTO notes VALUES (1, 1, 'called about her order'), (2, 2, 'prefers mail');
  INSERT INTO visits VALUES (1, '10.0.0.1'), (2, '10.0.0.2');
  INSERT INTO parcels VALUES (1000, 10, 'for Ann');
`;

/** When Ann's customer row (only hers) is deleted, three of her rows come back. */
const COMES_BACK = [
  "INSERT INTO addresses (id, customer_id, street) SELECT OLD.id * 10, 0, 'back under its key'",
  "INSERT INTO notes (id, customer_id, body) SELECT 99, OLD.id, 'written as she was erased'",
  "INSERT INTO visits (customer_id, ip) SELECT OLD.id, '10.0.0.1'",
];

async function addTriggers(source: TestSourceSystem, kind: SourceKind): Promise<void> {
  if (kind === 'postgres') {
    await source.exec(`
      CREATE FUNCTION ann_comes_back() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${COMES_BACK.map((insert) => `${insert} WHERE OLD.id = 1;`).join('\n')}
        RETURN OLD;
      END $$;
      CREATE TRIGGER ann_comes_back AFTER DELETE ON customers FOR EACH ROW EXECUTE FUNCTION ann_comes_back();
    `);
    return;
  }
  // MariaDB: one statement per trigger, several triggers on one event.
  for (const [i, insert] of COMES_BACK.entries())
    await source.exec(
      `CREATE TRIGGER ann_comes_back_${i} AFTER DELETE ON customers FOR EACH ROW ${insert} FROM DUAL WHERE OLD.id = 1`,
    );
}

const DATAMAP = `
tenant: default
systems:
  - id: shop
    kind: KIND
    role: controller
    connection: { url: env:TEST_SURVIVORS_URL }
    collections:
      - name: customers
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer }
          - { name: email, type: text, categories: [user.contact.email], identity: email }
          - { name: name, type: text, categories: [user.name] }
      - name: addresses
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer }
          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }
          - { name: street, type: text, categories: [user.contact.address.street] }
      - name: deliveries
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer }
          - { name: address_id, type: integer, nullable: false, references: [{ field: addresses.id, direction: from, onDelete: no_action }] }
          - { name: note, type: text, categories: [user.content.private] }
      - name: notes
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer }
          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }
          - { name: body, type: text, categories: [user.content.private] }
      - name: visits
        primaryKey: []
        erasure: { strategy: hmac, key: env:TEST_SURVIVORS_HMAC_KEY }
        purposes: [{ use: analytics, legalBasis: legitimate_interests }]
        fields:
          - { name: customer_id, type: integer, nullable: true, references: [{ field: customers.id, direction: from, onDelete: no_action }] }
          - { name: ip, type: text, categories: [user.device.ip_address] }
      - name: parcels
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer }
          - { name: address_id, type: integer, nullable: false, references: [{ field: addresses.id, direction: from, onDelete: cascade }] }
          - { name: label, type: text, categories: [user.content.private] }
`;

function dataMapFor(kind: SourceKind): DataMap {
  const validation = validateDataMapText('survivors.yaml', DATAMAP.replace('KIND', kind));
  const errors = validation.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, []);
  return validation.dataMaps[0]!;
}

for (const kind of SOURCE_KINDS) {
  describe(`the check after an erasure on ${kind} reads the system again`, () => {
    let source: TestSourceSystem;
    let dataMap: DataMap;
    before(async () => {
      source = await createSourceSystem(kind, 'shop');
      await source.exec(SCHEMA);
      await addTriggers(source, kind);
      dataMap = dataMapFor(kind);
    });
    after(() => source.close());

    const erase = (email: string) =>
      runErasureForSystem(planErasure(dataMap, { email: [email] }), 'shop', source.connector, {
        resolveKey: async () => process.env.TEST_SURVIVORS_HMAC_KEY!,
      });

    test('an erasure the database keeps: nothing survives, every row looked up again', async () => {
      const report = await erase('bob@example.com');
      assert.deepEqual(report.verification?.survivors, []);
      // Bob's customer row and his address looked up by key (his delivery is counted by its address).
      assert.equal(report.verification?.rechecked, 2);
      assert.deepEqual(await source.query('SELECT id FROM customers WHERE id = 2'), []);
    });

    test('rows that come back after every statement succeeded are found, each by its path', async () => {
      const report = await erase('ann@example.com');
      const deleted = Object.fromEntries(report.collections.map((c) => [c.collection, c.rowsDeleted]));
      // The executor's own counts say everything went.
      assert.deepEqual(deleted, {
        customers: 1,
        addresses: 1,
        deliveries: 1,
        notes: 1,
        visits: 0,
        parcels: 0,
      });
      // Her parcel is left to an ON DELETE CASCADE the data map declares and the database lacks.
      assert.equal(report.collections.find((c) => c.collection === 'parcels')?.rowsDeletedByCascade, 1);
      const survivors = Object.fromEntries(
        report.verification!.survivors.map((s) => [
          s.collection,
          { count: s.count, keys: s.keys, reason: s.reason },
        ]),
      );
      assert.deepEqual(survivors, {
        addresses: { count: 1, keys: [{ id: 10 }], reason: 'was to be deleted but is still there' },
        notes: { count: 1, keys: undefined, reason: 'was to be deleted but still matches the subject' },
        parcels: {
          count: 1,
          keys: undefined,
          reason:
            'was to be deleted (with its parent row by ON DELETE CASCADE, or under a parent that stays) but still matches the subject',
        },
        visits: {
          count: 1,
          keys: undefined,
          reason:
            "was to be deleted or masked but still holds the subject's values (a row without a primary key, found by its old values)",
        },
      });
    });
  });
}
