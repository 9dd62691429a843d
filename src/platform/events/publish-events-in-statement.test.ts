import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { EVENTS_CHANNEL, publishEvent, type EventInput } from './publish-event.ts';
import { withPublishedEvents } from './publish-events-in-statement.ts';

const event = (type: string, subject: string, data: Record<string, unknown> = {}): EventInput => ({
  tenantId: 'default',
  type,
  source: 'consent',
  topic: 'consent.marketing',
  subject,
  data,
});

test('events published within a caller statement continue each stream in the order given, wake the dispatchers on commit, and vanish with a rollback', async () => {
  const database = await createTestDatabase();
  const listener = new pg.Client({ connectionString: database.url });
  try {
    const { db } = database;
    await publishEvent(db, event('consent.given', 'user-1'));
    await listener.connect();
    await listener.query(`listen ${EVENTS_CHANNEL}`);
    const woken = once(listener, 'notification');

    // The caller's own change is the statement's main query; the events ride along with it.
    const tenant = await db.transaction().execute((trx) =>
      withPublishedEvents(trx, [
        event('consent.withdrawn', 'user-1', { n: 1 }),
        event('consent.given', 'user-2', { n: 2 }),
        event('consent.given', 'user-1', { n: 3 }),
      ])
        .selectFrom('tenants')
        .select('id')
        .where('id', '=', 'default')
        .executeTakeFirstOrThrow(),
    );
    assert.equal(tenant.id, 'default');
    const [notification] = (await woken) as [pg.Notification];
    assert.equal(notification.payload, 'default');

    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await withPublishedEvents(trx, [event('consent.withdrawn', 'user-2')])
          .selectFrom('tenants')
          .select('id')
          .execute();
        throw new Error('the change failed');
      }),
      /the change failed/,
    );

    const rows = await db
      .selectFrom('event_outbox')
      .select(['stream_key', 'stream_sequence', 'type', 'data'])
      .orderBy('position')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.stream_key, r.stream_sequence, r.type, r.data.n]),
      [
        ['subject:user-1', 1, 'consent.given', undefined],
        ['subject:user-1', 2, 'consent.withdrawn', 1],
        ['subject:user-2', 1, 'consent.given', 2],
        ['subject:user-1', 3, 'consent.given', 3],
      ],
    );
    const next = await publishEvent(db, event('consent.withdrawn', 'user-2'));
    assert.equal(next.streamSequence, 2, 'the rolled-back event took no sequence number');
  } finally {
    await listener.end().catch(() => {});
    await database.close();
  }
});

test('a malformed event type is refused before anything is written', async () => {
  const database = await createTestDatabase();
  try {
    assert.throws(
      () => withPublishedEvents(database.db, [event('Consent Given', 'user-1')]),
      (error: Error & { code?: string }) => error.code === 'events.invalid_type',
    );
  } finally {
    await database.close();
  }
});
