import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  createPostgresDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../../../../../test/support/test-database.ts';
import {
  createSourceSystem,
  sqlConnection,
  type TestSourceSystem,
} from '../../../../../test/support/test-source-systems.ts';
import { createPostgresConnector } from '../../../../platform/connectors/postgres/postgres-connector.ts';
import { runErasureForSystem } from '../execution/run-erasure.ts';
import { SHOP_DATA_SQL, SHOP_TABLES, shopDataMap, shopSchemaSql } from '../execution/test-shop-fixture.ts';
import { planErasure } from '../../core/planning/plan-erasure.ts';
import { keyringFromSecret } from '../requests/dsr-keyring.ts';
import { journalHasher, recordErasure } from './record-erasure.ts';
import { replayErasures } from './replay-erasures.ts';

const run = promisify(execFile);
process.env.TEST_SHOP_HMAC_KEY = 'test-shop-hmac-key-0123456789abcdef';
const NOW = new Date('2026-06-01T00:00:00Z');
const hash = journalHasher(keyringFromSecret('journal-test-secret-0123456789abcdefghij'), 'default');

async function tablesOf(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, string[]> = {};
    for (const table of SHOP_TABLES)
      result[table] = (await client.query(`SELECT * FROM ${table}`)).rows
        .map((row) => JSON.stringify(row))
        .sort();
    return result;
  } finally {
    await client.end();
  }
}

let steward: TestDatabase;
let source: TestSourceSystem;
let workDir: string;
before(async () => {
  steward = await createTestDatabase();
  source = await createSourceSystem('postgres', 'shop');
  await source.exec(shopSchemaSql('postgres'));
  await source.exec(SHOP_DATA_SQL);
  // Carol, who also asks for erasure, and Dave, who does not.
  await source.exec(`
    INSERT INTO customers (id, email, name) VALUES (4, 'carol@example.com', 'Carol'), (5, 'dave@example.com', 'Dave');
    INSERT INTO addresses VALUES (400, 4, '4 Carol Court', 'Carolton'), (500, 5, '5 Dave Drive', 'Daveham');
    INSERT INTO orders VALUES (40, 4, 400, NULL, '2011-05-05 10:00:00'), (50, 5, 500, NULL, '2024-05-05 10:00:00');
    INSERT INTO page_views VALUES (4, '10.0.0.4', '/carol', 'Edge'), (5, '10.0.0.5', '/dave', 'Edge');
  `);
  workDir = mkdtempSync(join(tmpdir(), 'steward-replay-'));
});
after(async () => {
  await source.close();
  await steward.close();
  rmSync(workDir, { recursive: true, force: true });
});

test(`after a real pg_dump is restored, replay-erasures erases the journalled subjects again and touches nobody else (journal)`, async () => {
  const dataMap = shopDataMap('postgres', '{ url: env:TEST_SHOP_URL }');
  const backup = join(workDir, 'shop.dump');
  await run('pg_dump', ['--format=custom', `--file=${backup}`, source.url!]);

  // An erasure from before the backup: not replayed (the backup already reflects it).
  const old = planErasure(dataMap, { email: ['dave@example.com'] });
  await recordErasure(
    steward.db,
    { tenantId: 'default', plan: old, reports: [], erasedAt: new Date('2026-01-01T00:00:00Z') },
    hash,
  );

  const since = new Date('2026-03-01T00:00:00Z');
  for (const [requestId, email] of [
    ['req-ann', 'Ann@Example.com'],
    ['req-carol', 'CAROL@example.com'],
  ] as const) {
    const plan = planErasure(dataMap, { email: [email] });
    const report = await runErasureForSystem(plan, 'shop', source.connector, { now: NOW });
    await recordErasure(
      steward.db,
      { tenantId: 'default', plan, reports: [report], requestId, erasedAt: new Date('2026-04-01T00:00:00Z') },
      hash,
    );
    // Recording again (a re-run job step) keeps one entry.
    await recordErasure(
      steward.db,
      { tenantId: 'default', plan, reports: [report], requestId, erasedAt: new Date('2026-04-01T00:00:00Z') },
      hash,
    );
  }
  const erased = await tablesOf(source.url!);

  // The journal holds no plaintext identity.
  const journal = JSON.stringify(await steward.db.selectFrom('dsr_erasure_journal').selectAll().execute());
  assert.doesNotMatch(journal, /ann@|carol@|dave@/i);

  // Disaster: the backup is restored into a new database. Ann and Carol are back.
  const restored = await createPostgresDatabase('steward_restored');
  try {
    await run('pg_restore', ['--no-owner', `--dbname=${restored.url}`, backup]);
    const before = await tablesOf(restored.url);
    assert.ok(before.customers!.some((row) => row.includes('"Carol"')));
    assert.notDeepEqual(before, erased);

    const connector = createPostgresConnector('shop', sqlConnection(restored.url));
    try {
      const replay = await replayErasures({
        db: steward.db,
        tenantId: 'default',
        since,
        hash,
        connectorFor: (id) => (id === 'shop' ? connector : undefined),
        now: NOW,
        pageSize: 2,
      });
      assert.equal(replay.entries, 2);
      assert.deepEqual(
        replay.outcomes.map((o) => [o.entry, o.outcome]),
        [
          ['erasure-req-ann', 'erased'],
          ['erasure-req-carol', 'erased'],
        ],
      );
      // Exactly the state right after the original erasures: same rows deleted, same values masked,
      // Bob and Dave untouched.
      assert.deepEqual(await tablesOf(restored.url), erased);

      // Replaying again finds nothing more to do.
      const again = await replayErasures({
        db: steward.db,
        tenantId: 'default',
        since,
        hash,
        connectorFor: () => connector,
        now: NOW,
      });
      assert.deepEqual(
        again.outcomes.map((o) => o.outcome),
        ['nothing_found', 'nothing_found'],
      );
      assert.deepEqual(await tablesOf(restored.url), erased);
    } finally {
      await connector.close();
    }
  } finally {
    await restored.drop();
  }
});
