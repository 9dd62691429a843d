import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import {
  createDatabaseOn,
  startControlledPostgres,
  type ControlledPostgres,
} from '../../../test/support/controlled-postgres.ts';
import { waitUntil } from '../../../test/support/wait-until.ts';
import { createLogger } from '../logging/logger.ts';
import { subscribeToChanges, type Unsubscribe } from './change-notifications.ts';

let server: ControlledPostgres;
let url: string;
let unsubscribe: Unsubscribe | undefined;
/** What the subscriber was told, in order: `listening`, `deaf`, or `notified:<payload>`. */
const heard: string[] = [];

before(async () => {
  server = await startControlledPostgres();
  url = await createDatabaseOn(server, 'steward');
  unsubscribe = await subscribeToChanges(
    { url, db: {} },
    createLogger({ level: 'silent' }),
    'test_changes',
    {
      onNotification: (payload) => heard.push(`notified:${payload}`),
      onListening: (listening) => heard.push(listening ? 'listening' : 'deaf'),
    },
    { heartbeatMs: 300, heartbeatTimeoutMs: 500 },
  );
});
after(async () => {
  await unsubscribe?.();
  await server?.destroy();
});

async function notify(payload: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`select pg_notify('test_changes', $1)`, [payload]);
  } finally {
    await client.end();
  }
}

/** Notifies until the subscriber hears it (the listener may still be reconnecting). */
async function heardAgain(payload: string): Promise<void> {
  await waitUntil(
    `the listener hears ${payload}`,
    async () => {
      if (heard.includes(`notified:${payload}`)) return true;
      await notify(payload).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
      return heard.includes(`notified:${payload}`) ? true : undefined;
    },
    30_000,
  );
}

test('a subscriber hears notifications committed by another connection', async () => {
  assert.equal(heard.at(-1), 'listening');
  await heardAgain('first');
});

for (const mode of ['fast', 'immediate'] as const) {
  test(`${mode === 'fast' ? 'a' : 'an'} ${mode} shutdown tells the subscriber it is deaf; after the restart it listens again (a fresh start) and hears new notifications`, async () => {
    const before = heard.length;
    await server.stop(mode);
    await waitUntil('the subscriber is told it is deaf', async () =>
      heard.slice(before).includes('deaf') ? true : undefined,
    );
    await server.start();
    await waitUntil('listening again', async () =>
      heard.slice(before).includes('listening') ? true : undefined,
    );
    await heardAgain(`after-${mode}`);
  });
}

test('a frozen server (no error, no FIN) is noticed by the heartbeat: deaf while frozen, listening after the thaw', async () => {
  const before = heard.length;
  server.freeze();
  try {
    await waitUntil(
      'the heartbeat notices the silence',
      async () => (heard.slice(before).includes('deaf') ? true : undefined),
      10_000,
    );
  } finally {
    server.thaw();
  }
  await waitUntil('listening again', async () =>
    heard.slice(before).includes('listening') ? true : undefined,
  );
  await heardAgain('after-freeze');
});
