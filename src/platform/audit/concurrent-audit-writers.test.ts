import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { anErasureRequestEvent } from '../../../test/support/audit-fixtures.ts';
import { createTestDatabase, testDatabaseConfig } from '../../../test/support/test-database.ts';
import type { Database } from '../../app/database.ts';
import { openDatabase } from '../../kernel/database/open-database.ts';
import { integratePendingEntries } from './integrate-pending-entries.ts';
import { frontierRoot, appendLeaf, emptyFrontier } from './merkle-frontier.ts';
import { recordAuditEvent } from './record-audit-event.ts';

const WRITERS = 8;
const EVENTS_PER_WRITER = 40;

test(`${WRITERS} concurrent writers and racing integrators yield contiguous indices with no gap or duplicate`, async () => {
  const database = await createTestDatabase();
  // On PostgreSQL every "process" gets its own pool, as separate Steward processes would.
  const extra = await Promise.all(
    [1, 2, 3].map(() => openDatabase(testDatabaseConfig('unused', database.url))),
  );
  const handles: Kysely<Database>[] = [database.db, ...extra.map((d) => d.db)];
  const settings = { pseudonymKey: randomBytes(32), batchSize: 25 };
  try {
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const db = handles[w % handles.length]!;
      for (let n = 0; n < EVENTS_PER_WRITER; n++) {
        const id = w * 1000 + n;
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('tenants')
            .values({ id: `t-${id}`, name: `Tenant ${id}` })
            .execute();
          await recordAuditEvent(trx, {
            ...anErasureRequestEvent(id),
            action: 'tenant.created',
            object: { type: 'tenant', id: `t-${id}` },
          });
        });
      }
    });
    const integrators = handles.map(async (db) => {
      while (writing) await integratePendingEntries(db, settings);
    });
    await Promise.all(writers);
    writing = false;
    await Promise.all(integrators);
    await integratePendingEntries(database.db, settings);

    const entries = await database.db
      .selectFrom('audit_entries')
      .select(['idx', 'entry', 'leaf_hash'])
      .where('tenant_id', '=', 'default')
      .orderBy('idx')
      .execute();
    const total = WRITERS * EVENTS_PER_WRITER;
    assert.deepEqual(
      entries.map((e) => e.idx),
      [...Array(total).keys()],
      'indices 0 … n−1, each once',
    );
    const objects = entries.map((e) => JSON.parse(e.entry).object.id as string);
    assert.equal(new Set(objects).size, total, 'every event appended exactly once');
    assert.equal((await database.db.selectFrom('audit_pending').select('id').execute()).length, 0);

    // The stored root is the root of exactly these leaves in this order.
    const frontier = emptyFrontier();
    for (const e of entries) appendLeaf(frontier, e.leaf_hash);
    const state = await database.db
      .selectFrom('audit_tree_state')
      .select(['tree_size', 'root_hash'])
      .where('tenant_id', '=', 'default')
      .executeTakeFirstOrThrow();
    assert.equal(state.tree_size, total);
    assert.equal(
      Buffer.from(state.root_hash).toString('hex'),
      Buffer.from(frontierRoot(frontier)).toString('hex'),
    );
  } finally {
    await Promise.all(extra.map((d) => d.close()));
    await database.close();
  }
});
