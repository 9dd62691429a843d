import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createSourceSystem,
  SOURCE_KINDS,
  type TestSourceSystem,
} from '../../../test/support/test-source-systems.ts';
import type { CollectionTarget, Row, RowPredicate } from './connector.ts';
import { rowMatches } from './row-predicate.ts';

const people: CollectionTarget = { name: 'people', primaryKey: ['id'] };
const visits: CollectionTarget = { name: 'visits', primaryKey: ['person_id', 'seq'] };

async function collect(pages: AsyncIterable<Row[]>): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let count = 0;
  for await (const page of pages) {
    rows.push(...page);
    count++;
  }
  return { rows, pages: count };
}

for (const kind of SOURCE_KINDS) {
  describe(`the ${kind} connector`, () => {
    let source: TestSourceSystem;
    before(async () => {
      source = await createSourceSystem(kind);
      // A column named like a keyword and one with a quote in its name: both must be addressed exactly.
      const q = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name.replaceAll('"', '""')}"`);
      await source.exec(`
        CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, ${q('order')} INTEGER, ${q('it"s')} VARCHAR(20));
        CREATE TABLE visits (person_id INTEGER NOT NULL REFERENCES people (id), seq INTEGER NOT NULL, page VARCHAR(50), PRIMARY KEY (person_id, seq));
        INSERT INTO people VALUES (1, 'Ann@Example.com', 10, 'a'), (2, 'bob@example.com', 20, 'b'), (3, 'ANN@example.COM', 30, 'c'), (4, 'dora@example.com', 40, 'd');
        INSERT INTO visits VALUES (1, 1, '/a'), (1, 2, '/b'), (1, 3, '/c'), (3, 1, '/d'), (3, 2, '/e'), (2, 1, '/f');
      `);
    });
    after(() => source.close());

    test('reads by a case-insensitive identity, page by page with keyset pagination', async () => {
      const { rows, pages } = await collect(
        source.connector.read({
          target: people,
          columns: ['id', 'email', 'order', 'it"s'],
          where: { kind: 'in', columns: ['email'], tuples: [['ann@example.com']], lowercase: true },
          keyset: ['id'],
          pageSize: 1,
        }),
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.id), r.email, Number(r.order), r['it"s']]),
        [
          [1, 'Ann@Example.com', 10, 'a'],
          [3, 'ANN@example.COM', 30, 'c'],
        ],
      );
      assert.equal(pages, 2);
    });

    test('pages through a composite primary key without losing or repeating rows', async () => {
      const { rows } = await collect(
        source.connector.read({
          target: visits,
          columns: ['page'],
          where: { kind: 'in', columns: ['person_id'], tuples: [[1], [3]] },
          keyset: ['person_id', 'seq'],
          pageSize: 2,
        }),
      );
      assert.deepEqual(
        rows.map((r) => r.page),
        ['/a', '/b', '/c', '/d', '/e'],
      );
    });

    test('selects by tuples of a composite key and counts', async () => {
      const where = {
        kind: 'in' as const,
        columns: ['person_id', 'seq'],
        tuples: [
          [1, 2],
          [3, 1],
          [9, 9],
        ],
      };
      assert.equal(await source.connector.count(visits, where), 2);
      assert.equal(
        await source.connector.count(visits, { kind: 'in', columns: ['person_id'], tuples: [] }),
        0,
      );
    });

    test('updates a value per row in one statement, and deletes, inside a transaction', async () => {
      await source.connector.transaction(async (tx) => {
        const updated = await tx.update({
          target: people,
          set: {
            'it"s': {
              kind: 'per_row',
              keyColumns: ['id'],
              values: [
                { key: [1], value: 'x1' },
                { key: [3], value: 'x3' },
              ],
            },
          },
          where: { kind: 'in', columns: ['id'], tuples: [[1], [3]] },
        });
        assert.equal(updated, 2);
        const deleted = await tx.delete({
          target: visits,
          where: {
            kind: 'all',
            of: [
              { kind: 'equals', column: 'person_id', value: 2 },
              { kind: 'equals', column: 'page', value: '/f' },
            ],
          },
        });
        assert.equal(deleted, 1);
      });
      const rows = await source.query<{ id: number; v: string }>(
        `SELECT id, ${kind === 'mysql' ? '`it"s`' : '"it""s"'} AS v FROM people ORDER BY id`,
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.id), r.v]),
        [
          [1, 'x1'],
          [2, 'b'],
          [3, 'x3'],
          [4, 'd'],
        ],
      );
      assert.equal(
        Number(
          (await source.query<{ n: unknown }>('SELECT count(*) AS n FROM visits WHERE person_id = 2'))[0]!.n,
        ),
        0,
      );
    });

    test('a failure inside the transaction rolls every change back', async () => {
      await assert.rejects(
        source.connector.transaction(async (tx) => {
          await tx.delete({ target: visits, where: { kind: 'in', columns: ['person_id'], tuples: [[1]] } });
          await tx.update({
            target: people,
            set: { email: { kind: 'value', value: null } },
            where: { kind: 'in', columns: ['id'], tuples: [[4]] },
          });
        }),
        (error: Error & { code?: string }) => error.code === 'connector.statement_failed',
      );
      assert.equal(
        await source.connector.count(visits, { kind: 'in', columns: ['person_id'], tuples: [[1]] }),
        3,
      );
    });

    test('compares a column with a bound value and negates a selection (retention cut-offs and cursors)', async () => {
      const orderAtLeast20: RowPredicate = { kind: 'compare', column: 'order', operator: '>=', value: 20 };
      const notBob: RowPredicate = {
        kind: 'not',
        of: { kind: 'equals', column: 'email', value: 'bob@example.com' },
      };
      assert.equal(await source.connector.count(people, orderAtLeast20), 3);
      assert.equal(await source.connector.count(people, { kind: 'all', of: [orderAtLeast20, notBob] }), 2);
      assert.equal(
        await source.connector.count(people, { kind: 'compare', column: 'id', operator: '<>', value: 1 }),
        3,
      );
      const { rows } = await collect(
        source.connector.read({
          target: people,
          columns: ['id'],
          where: { kind: 'compare', column: 'id', operator: '>', value: 2 },
          keyset: ['id'],
          pageSize: 10,
        }),
      );
      assert.deepEqual(
        rows.map((r) => Number(r.id)),
        [3, 4],
      );
      assert.equal(
        rowMatches({ id: 3, order: 30, email: 'x' }, { kind: 'all', of: [orderAtLeast20, notBob] }),
        true,
      );
      assert.equal(
        rowMatches({ id: 3, order: null, email: 'x' }, orderAtLeast20),
        false,
        'NULL never compares true, as in SQL',
      );
      assert.equal(
        await source.connector.count(people, {
          kind: 'compare',
          column: 'email',
          operator: '>',
          value: "zzz' OR '1'='1",
        }),
        0,
      );
    });

    test('a value that looks like SQL is only ever a value', async () => {
      const hostile = "x' OR '1'='1";
      assert.equal(
        await source.connector.count(people, { kind: 'in', columns: ['email'], tuples: [[hostile]] }),
        0,
      );
      assert.equal(
        await source.connector.count(people, { kind: 'equals', column: 'email', value: hostile }),
        0,
      );
    });
  });
}
