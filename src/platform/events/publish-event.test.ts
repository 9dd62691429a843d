import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { publishEvent } from './publish-event.ts';

test(`publishEvent writes to the outbox only when the change commits, numbering each subject's events in order`, async () => {
  const database = await createTestDatabase();
  try {
    const { db } = database;
    const first = await db.transaction().execute((trx) =>
      publishEvent(trx, {
        tenantId: 'default',
        type: 'consent.given',
        source: 'consent',
        topic: 'consent.marketing',
        subject: 'user-1',
        data: { purpose: 'marketing' },
      }),
    );
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await publishEvent(trx, {
          tenantId: 'default',
          type: 'consent.withdrawn',
          source: 'consent',
          topic: 'consent.marketing',
          subject: 'user-1',
          data: {},
        });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    const second = await publishEvent(db, {
      tenantId: 'default',
      type: 'consent.withdrawn',
      source: 'consent',
      topic: 'consent.marketing',
      subject: 'user-1',
      data: {},
      id: 'ledger-entry-7',
    });

    assert.deepEqual([first.streamSequence, second.streamSequence], [1, 2]);
    assert.equal(second.id, 'ledger-entry-7');
    const rows = await db
      .selectFrom('event_outbox')
      .select(['id', 'type', 'stream_key', 'stream_sequence', 'data'])
      .orderBy('position')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.type, r.stream_key, r.stream_sequence]),
      [
        ['consent.given', 'subject:user-1', 1],
        ['consent.withdrawn', 'subject:user-1', 2],
      ],
    );
    assert.deepEqual(rows[0]!.data, { purpose: 'marketing' });
  } finally {
    await database.close();
  }
});

test('publishEvent rejects a type that is not dotted lower case', async () => {
  const database = await createTestDatabase();
  try {
    await assert.rejects(
      publishEvent(database.db, {
        tenantId: 'default',
        type: 'ConsentGiven',
        source: 'consent',
        topic: 'consent.x',
        data: {},
      }),
      (error: Error & { code?: string }) => error.code === 'events.invalid_type',
    );
  } finally {
    await database.close();
  }
});
