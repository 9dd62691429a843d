import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import {
  createDatabaseOn,
  startControlledPostgres,
  type ControlledPostgres,
} from '../../../../test/support/controlled-postgres.ts';
import type { CollectionTarget, RowPredicate } from '../connector.ts';
import { createPostgresConnector } from './postgres-connector.ts';

const customers: CollectionTarget = { name: 'customers', primaryKey: ['id'] };
const everyone: RowPredicate = { kind: 'all', of: [] };

let server: ControlledPostgres;
let url: string;

before(async () => {
  server = await startControlledPostgres();
  url = await createDatabaseOn(server, 'shop');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    'create table customers (id int primary key); insert into customers values (1), (2), (3)',
  );
  await client.end();
});
after(() => server?.destroy());

for (const mode of ['fast', 'immediate'] as const) {
  test(`a source system stopped (${mode}) while Steward holds its connection in a transaction: the transaction fails, Steward lives, and the next call after the restart works`, async () => {
    const connector = createPostgresConnector('shop', {
      url,
      poolSize: 2,
      statementTimeoutMs: 30_000,
      connectTimeoutMs: 2_000,
    });
    try {
      assert.equal(await connector.count(customers, everyone), 3);
      const outcome = await connector
        .transaction(async (tx) => {
          await tx.count(customers, everyone);
          // The connection is checked out and idle in the transaction when the server goes away.
          await server.stop(mode);
          await new Promise((resolve) => setTimeout(resolve, 200));
          return tx.count(customers, everyone);
        })
        .then(
          () => 'committed',
          (error: unknown) => `failed: ${(error as Error).message}`,
        );
      assert.match(outcome, /^failed: /);
      await assert.rejects(connector.count(customers, everyone), 'refused while the server is down');
      await server.start();
      assert.equal(await connector.count(customers, everyone), 3, 'the pool reconnects');
    } finally {
      await connector.close();
    }
  });
}
