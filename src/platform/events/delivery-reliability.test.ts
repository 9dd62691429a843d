import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { issueRoleApiKey } from '../auth/role-api-key.ts';
import { createNotice } from '../../modules/consent/use-cases/notices.ts';
import { migrateSteward } from '../../app/start-steward.ts';
import { openDatabase } from '../../kernel/database/open-database.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createStewardSecrets } from '../secrets/steward-secrets.ts';
import { createTaxonomy } from '../taxonomy/taxonomy.ts';
import { aConfigFile, spawnSteward } from '../../../test/support/steward-process.ts';
import {
  createPostgresDatabase,
  createTestDatabase,
  testDatabaseConfig,
} from '../../../test/support/test-database.ts';
import type { CloudEvent } from './cloud-event.ts';
import { createEventDispatcher } from './event-dispatcher.ts';
import { eventsConfigSchema } from './events-config-schema.ts';
import { startLocalWebhookReceiver } from './local-webhook-receiver.ts';
import { publishEvent } from './publish-event.ts';
import { createWebhook, type ChangeActor } from './webhook-store.ts';

const admin: ChangeActor = { kind: 'system', id: 'reliability-test', tenantId: 'default' };
const masterKeyEnv = { STEWARD_MASTER_KEY: randomBytes(32).toString('base64') };

async function aFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Each subject's events as received, de-duplicated by event id (delivery is at least once). */
function perSubject(events: CloudEvent[]): Map<string, number[]> {
  const seen = new Set<string>();
  const result = new Map<string, number[]>();
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    result.set(event.subject!, [...(result.get(event.subject!) ?? []), event.data.n as number]);
  }
  return result;
}

test(`a webhook receiver down for a while gets every event once it is up, each subject's in order`, async () => {
  const database = await createTestDatabase();
  const port = await aFreePort();
  const config = eventsConfigSchema.parse({
    webhookAllowedNetworks: ['127.0.0.1'],
    retryInitialSeconds: 0.1,
    retryMaxSeconds: 0.4,
    dispatcher: { idlePollMs: 50 },
  });
  const secrets = createStewardSecrets(database.db, masterKeyEnv);
  const dispatcher = createEventDispatcher(database.db, config, createLogger({ level: 'silent' }), secrets);
  let receiver: Awaited<ReturnType<typeof startLocalWebhookReceiver>> | undefined;
  try {
    const webhook = await createWebhook(database.db, secrets.store, admin, {
      url: `http://127.0.0.1:${port}/events`,
    });
    const subjects = ['ann', 'ben', 'cat'];
    for (let n = 1; n <= 10; n++) {
      for (const subject of subjects) {
        await publishEvent(database.db, {
          tenantId: 'default',
          type: 'consent.given',
          source: 'consent',
          topic: 'consent.marketing',
          subject,
          data: { n },
        });
      }
    }
    dispatcher.start();
    // Nothing listens on the port: every attempt fails and is retried with backoff.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const failing = await database.db
      .selectFrom('event_deliveries')
      .select((eb) => eb.fn.max('attempts').as('attempts'))
      .executeTakeFirstOrThrow();
    assert.ok(
      Number(failing.attempts) >= 2,
      'deliveries were attempted and retried while the receiver was down',
    );

    receiver = await startLocalWebhookReceiver({ port, secret: webhook.secret! });
    await receiver.waitFor(30, 60_000);

    const received = perSubject(receiver.events);
    for (const subject of subjects)
      assert.deepEqual(
        received.get(subject),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        `${subject}'s events in order`,
      );
    assert.equal(receiver.rejected, 0);
  } finally {
    await dispatcher.stop();
    await receiver?.close();
    await database.close();
  }
});

test(`an API process killed right after a consent commits: a worker started afterwards still delivers the event`, async () => {
  const postgres = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-crash-'));
  const databaseConfig = postgres ? { url: postgres.url } : { dataDir };
  const receiver = await startLocalWebhookReceiver();
  let token: string;
  {
    // Arranged before any Steward process runs: the embedded database has one opener at a time.
    const database = await openDatabase(testDatabaseConfig(dataDir, postgres?.url));
    await migrateSteward(database);
    ({ token } = await issueRoleApiKey(database.db, {
      role: 'owner',
      tenantId: 'default',
      name: 'crash test',
      actor: admin,
    }));
    await createNotice(database.db, createTaxonomy(), admin, {
      key: 'newsletter',
      purpose: 'marketing.communications.email',
      title: 'Newsletter',
      text: 'Weekly.',
      legalBasis: 'consent',
      mechanism: 'opt_in',
    });
    // PostgreSQL: every process gets the same STEWARD_MASTER_KEY. PGlite: none is set, so the test
    // and then the worker use the key Steward generates in the data directory.
    const secrets = createStewardSecrets(database.db, postgres ? masterKeyEnv : {}, { database });
    const webhook = await createWebhook(database.db, secrets.store, admin, {
      url: receiver.url,
      eventTypes: ['consent.given'],
    });
    receiver.setSecret(webhook.secret!);
    await database.close();
  }
  const configFile = aConfigFile({
    database: databaseConfig,
    server: { port: 0 },
    // The API process delivers nothing itself: every event is left to a worker.
    jobs: { runInServe: false },
    events: {
      webhookAllowedNetworks: ['127.0.0.1'],
      retryInitialSeconds: 0.1,
      dispatcher: { idlePollMs: 50 },
    },
    logging: { level: 'warn' },
  });
  const childEnv = postgres ? masterKeyEnv : {};
  const api = spawnSteward(['serve', '--config', configFile], { env: childEnv });
  let worker: ReturnType<typeof spawnSteward> | undefined;
  try {
    const [, address] = await api.waitForStdout(/listening on (http:\/\/\S+)/, 120_000);
    const response = await fetch(`${address}/v1/consent/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'zoe',
        changes: [{ purpose: 'marketing.communications.email', action: 'given' }],
      }),
    });
    assert.equal(response.status, 201);
    const { entries } = (await response.json()) as { entries: Array<{ id: string }> };
    api.child.kill('SIGKILL');
    await api.exited;
    assert.equal(receiver.events.length, 0, 'nothing was delivered before the crash');

    worker = spawnSteward(['worker', '--config', configFile], { env: childEnv });
    await receiver.waitFor(1, 120_000);
    assert.equal(receiver.events[0]!.id, entries[0]!.id, 'the CloudEvent id is the ledger entry id');
    assert.equal(receiver.events[0]!.type, 'consent.given');
  } finally {
    await api.stop(5_000);
    await worker?.stop(15_000);
    await receiver.close();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
