import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ensureTenant } from '../auth/tenants.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { parseMasterKeyRing } from './master-key-ring.ts';
import { createSecretResolver } from './secret-resolver.ts';
import { createSecretStore } from './secret-store.ts';

const operator = { kind: 'user' as const, id: 'operator' };
const v1 = randomBytes(32).toString('base64');
const v2 = randomBytes(32).toString('base64');

describe('secret store', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    await ensureTenant(database.db, 'acme');
  });
  after(async () => {
    await database.close();
  });

  test('a stored connector password is only ciphertext in the database and resolves as secret:NAME in its tenant', async () => {
    const store = createSecretStore(database.db, parseMasterKeyRing(v1));
    const summary = await store.put({
      tenantId: 'acme',
      name: 'crm-db-password',
      value: 'pa55-word-for-crm',
      actor: operator,
    });
    assert.deepEqual(
      { name: summary.name, version: summary.version, masterKeyVersion: summary.masterKeyVersion },
      { name: 'crm-db-password', version: 1, masterKeyVersion: 1 },
    );

    const row = await database.db
      .selectFrom('secrets')
      .selectAll()
      .where('name', '=', 'crm-db-password')
      .executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(row.ciphertext).includes(Buffer.from('pa55-word')));
    assert.ok(!JSON.stringify(row).includes('pa55-word'));

    const resolver = createSecretResolver(store, { CRM_TOKEN: 'from-env' });
    assert.equal(await resolver.resolve('secret:crm-db-password', 'acme'), 'pa55-word-for-crm');
    assert.equal(await resolver.resolve('env:CRM_TOKEN', 'acme'), 'from-env');
    await assert.rejects(resolver.resolve('secret:crm-db-password', 'default'), {
      code: 'secrets.not_found',
    });

    const replaced = await store.put({
      tenantId: 'acme',
      name: 'crm-db-password',
      value: 'new-value',
      actor: operator,
    });
    assert.equal(replaced.version, 2);
    assert.equal(await store.reveal('acme', 'crm-db-password'), 'new-value');
  });

  test('without a master key the store says how to configure one', async () => {
    const store = createSecretStore(database.db, undefined);
    await assert.rejects(store.put({ tenantId: 'acme', name: 'x', value: 'y', actor: operator }), {
      code: 'secrets.no_master_key',
    });
  });

  test('rotation re-wraps every data key in committed batches and resumes after a failure', async () => {
    const oldStore = createSecretStore(database.db, parseMasterKeyRing(v1));
    for (let i = 0; i < 7; i++)
      await oldStore.put({
        tenantId: i % 2 ? 'acme' : 'default',
        name: `rotate-${i}`,
        value: `value-${i}`,
        actor: operator,
      });
    // A row whose wrapped key was damaged makes its batch fail; batches before it stay committed.
    const damaged = await database.db
      .selectFrom('secrets')
      .select(['wrapped_key'])
      .where('name', '=', 'rotate-5')
      .executeTakeFirstOrThrow();
    const broken = Buffer.from(damaged.wrapped_key);
    broken[15] = (broken[15] ?? 0) ^ 0xff;
    await database.db
      .updateTable('secrets')
      .set({ wrapped_key: broken })
      .where('name', '=', 'rotate-5')
      .execute();

    const bothStore = createSecretStore(database.db, parseMasterKeyRing(`2:${v2}\n1:${v1}`));
    await assert.rejects(bothStore.rotate({ batchSize: 2 }), { code: 'secrets.cannot_decrypt' });
    const midway = await database.db
      .selectFrom('secrets')
      .select(['name', 'master_key_version'])
      .orderBy('tenant_id')
      .orderBy('name')
      .execute();
    const rotatedMidway = midway.filter((r) => r.master_key_version === 2).length;
    assert.ok(
      rotatedMidway > 0 && rotatedMidway < midway.length,
      `some but not all rows rotated before the failure (${rotatedMidway}/${midway.length})`,
    );

    await database.db
      .updateTable('secrets')
      .set({ wrapped_key: Buffer.from(damaged.wrapped_key) })
      .where('name', '=', 'rotate-5')
      .execute();
    const report = await bothStore.rotate({ batchSize: 2 });
    assert.equal(report.toVersion, 2);
    assert.equal(report.rewrapped, midway.length - rotatedMidway);

    const onlyNew = createSecretStore(database.db, parseMasterKeyRing(`2:${v2}`));
    for (let i = 0; i < 7; i++)
      assert.equal(await onlyNew.reveal(i % 2 ? 'acme' : 'default', `rotate-${i}`), `value-${i}`);
    assert.equal(await onlyNew.reveal('acme', 'crm-db-password'), 'new-value');
    assert.equal((await onlyNew.rotate()).rewrapped, 0, 'a second run finds nothing left to do');
  });
});
