import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { configSchema } from '../../app/config/config-schema.ts';
import type { Row } from '../../platform/connectors/connector.ts';
import type { AppServices } from '../../app/app-services.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import { startSteward } from '../../app/start-steward.ts';
import { aDemoShopDatabase, createPostgresDatabase } from '../../../test/support/test-database.ts';

const root = mkdtempSync(join(tmpdir(), 'steward-demo-start-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The user's own data map: one system of theirs, next to which the demo shop is loaded. */
function aUserDataMapFolder(): string {
  const folder = join(root, 'datamap');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'newsletter.yaml'),
    [
      'systems:',
      '  - id: newsletter',
      '    kind: postgres',
      '    connection: { url: env:NEWSLETTER_DB_URL }',
      '    collections:',
      '      - name: subscribers',
      '        primaryKey: [email]',
      '        fields:',
      '          - { name: email, type: text, identity: email, categories: [user.contact.email] }',
    ].join('\n'),
  );
  return folder;
}

async function all(rows: AsyncIterable<Row[]>): Promise<Row[]> {
  const found: Row[] = [];
  for await (const page of rows) found.push(...page);
  return found;
}

test(`serve with demo.enabled loads the shop's data map with the user's, and its connector reads the seeded shop`, async () => {
  const postgres = await createPostgresDatabase();
  const shop = aDemoShopDatabase();
  const config = configSchema.parse({
    server: { port: 0 },
    database: { url: postgres.url },
    datamap: { path: aUserDataMapFolder() },
    demo: { enabled: true, database: shop.name, dataDir: join(root, 'demo'), people: 20 },
  });
  let services: AppServices | undefined;
  const runtime = await startSteward(config, createLogger({ level: 'silent' }), {
    role: 'serve',
    beforeListen: async (started) => {
      services = started;
    },
  });
  try {
    assert.ok(services);
    const view = services.dataMaps.forTenant('default');
    assert.deepEqual(view.dataMap.systems.map((s) => s.id).toSorted(), ['newsletter', 'shop']);
    const system = view.system('shop');
    assert.ok(system?.kind === 'postgres');
    assert.equal(system.connection.url, 'env:STEWARD_DEMO_SHOP_URL');

    // The shop is a database beside Steward's own on the same server, reached by the shop's connector.
    const connector = services.connectors.forSystem('default', system);
    const customers = { name: 'customers', primaryKey: ['id'] };
    const [first] = await all(
      connector.read({
        target: customers,
        columns: ['id', 'email'],
        where: { kind: 'in', columns: ['id'], tuples: [[1]] },
        keyset: [],
      }),
    );
    assert.ok(first);
    const typedDifferently = String(first.email).toUpperCase();
    const byEmail = await all(
      connector.read({
        target: customers,
        columns: ['id'],
        where: {
          kind: 'in',
          columns: ['email'],
          tuples: [[typedDifferently.toLowerCase()]],
          lowercase: true,
        },
        keyset: [],
      }),
    );
    assert.deepEqual(
      byEmail.map((row) => Number(row.id)),
      [1],
    );
    assert.equal(await connector.count(customers, { kind: 'all', of: [] }), 20);
  } finally {
    await runtime.stop();
    await postgres.drop();
    await shop.drop();
  }
});
