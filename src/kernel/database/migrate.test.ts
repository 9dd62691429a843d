import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { migrateSteward } from '../../app/start-steward.ts';

test(`migrations create the schema with the default tenant, and a second run applies nothing`, async () => {
  const database = await createTestDatabase();
  try {
    const tenants = await database.db.selectFrom('tenants').select(['id']).execute();
    assert.deepEqual(tenants, [{ id: 'default' }]);
    const again = await migrateSteward(database);
    assert.deepEqual(again.applied, []);
    assert.ok(again.total >= 1);
  } finally {
    await database.close();
  }
});

test(`a rolled-back transaction leaves nothing behind`, async () => {
  const database = await createTestDatabase();
  try {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: 'acme', name: 'Acme' }).execute();
        throw new Error('abort');
      }),
      /abort/,
    );
    const rows = await database.db.selectFrom('tenants').select('id').where('id', '=', 'acme').execute();
    assert.equal(rows.length, 0);
    // The connection is usable after the rollback (PGlite has only one).
    await database.db.insertInto('tenants').values({ id: 'acme', name: 'Acme' }).execute();
    const count = await database.db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(count.n, 2);
  } finally {
    await database.close();
  }
});
