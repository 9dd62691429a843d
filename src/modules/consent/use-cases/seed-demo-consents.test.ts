import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { configSchema } from '../../../app/config/config-schema.ts';
import type { AppServices } from '../../../app/app-services.ts';
import { createLogger } from '../../../kernel/logging/logger.ts';
import { startSteward } from '../../../app/start-steward.ts';
import { startTestApp } from '../../../../test/support/test-app.ts';
import { aDemoShopDatabase, createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { consentHistoryForSubject } from './consent-history.ts';
import { listNotices } from './notices.ts';
import { checkConsent } from './check-consent.ts';
import { seedDemoConsents } from './seed-demo-consents.ts';

test(`the demo shop gets notices and a few thousand consents, once`, async () => {
  const testApp = await startTestApp();
  try {
    const customers = Array.from({ length: 1500 }, (_, i) => `customer-${i}@demo.shop`);
    const seeded = await seedDemoConsents(testApp.services, customers);
    assert.equal(seeded.notices, 4);
    assert.ok(seeded.entries >= 1500, `${seeded.entries} ledger entries`);
    assert.deepEqual(await seedDemoConsents(testApp.services, customers), { notices: 0, entries: 0 });
    const given = await checkConsent(testApp.services, 'default', {
      subject: 'customer-1@demo.shop',
      purpose: 'marketing.communications.email',
      jurisdiction: 'DE',
    });
    const withdrawn = await checkConsent(testApp.services, 'default', {
      subject: 'customer-7@demo.shop',
      purpose: 'marketing.communications.email',
      jurisdiction: 'DE',
    });
    assert.deepEqual([given.reason, withdrawn.reason], ['consent_given', 'withdrawn']);
  } finally {
    await testApp.close();
  }
});

test(`serve --demo gives the shop's customers notices and consents on the first start only`, async () => {
  const root = mkdtempSync(join(tmpdir(), 'steward-demo-consents-'));
  const postgres = await createPostgresDatabase();
  const shopDatabase = aDemoShopDatabase();
  const config = configSchema.parse({
    server: { port: 0 },
    database: { url: postgres.url },
    demo: { enabled: true, database: shopDatabase.name, dataDir: join(root, 'demo'), people: 40 },
    audit: { createMissingKeys: true },
  });
  const start = async () => {
    let services: AppServices | undefined;
    const runtime = await startSteward(config, createLogger({ level: 'silent' }), {
      role: 'serve',
      beforeListen: async (started) => void (services = started),
    });
    return { runtime, services: services! };
  };
  const ledgerSize = async (services: AppServices) =>
    Number(
      (
        await services.database.db
          .selectFrom('consent_ledger')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  try {
    const first = await start();
    let customer: string;
    let entries: number;
    try {
      entries = await ledgerSize(first.services);
      assert.ok(entries >= 40, `${entries} ledger entries for 40 customers`);
      assert.deepEqual((await listNotices(first.services.database.db, 'default')).map((n) => n.key).sort(), [
        'do-not-sell-or-share',
        'newsletter',
        'personalised-ads',
        'product-analytics',
      ]);
      const shop = first.services.dataMaps.forTenant('default').system('shop')!;
      const emails: string[] = [];
      for await (const rows of first.services.connectors.forSystem('default', shop).read({
        target: { name: 'customers', primaryKey: ['id'] },
        columns: ['id', 'email'],
        where: { kind: 'all', of: [] },
        keyset: ['id'],
      })) {
        emails.push(...rows.map((row) => String(row.email).toLowerCase()));
      }
      // The seed gives the first subject (in order) every kind of entry.
      customer = emails.sort()[0]!;
      const history = await consentHistoryForSubject(first.services.database.db, 'default', customer);
      assert.ok(
        history.entries.length >= 3,
        'a customer of the shop has consents, under the email the shop holds',
      );
    } finally {
      await first.runtime.stop();
    }
    const second = await start();
    try {
      assert.equal(await ledgerSize(second.services), entries, 'the second start seeds nothing');
    } finally {
      await second.runtime.stop();
    }
  } finally {
    await postgres.drop();
    await shopDatabase.drop();
    rmSync(root, { recursive: true, force: true });
  }
});
