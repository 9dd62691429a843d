import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../../test/support/test-app.ts';
import { TEST_BACKEND } from '../../test/support/test-database.ts';
import { checkConsent } from './check-consent.ts';
import { seedDemoConsents } from './seed-demo-consents.ts';

test(`the demo shop gets notices and a few thousand consents, once, on ${TEST_BACKEND}`, async () => {
  const testApp = await startTestApp();
  try {
    const customers = Array.from({ length: 1500 }, (_, i) => `customer-${i}@demo.shop`);
    const seeded = await seedDemoConsents(testApp.services, customers);
    assert.equal(seeded.notices, 4);
    assert.ok(seeded.entries >= 1500, `${seeded.entries} ledger entries`);
    assert.deepEqual(await seedDemoConsents(testApp.services, customers), { notices: 0, entries: 0 });
    const given = await checkConsent(testApp.services, 'default', { subject: 'customer-1@demo.shop', purpose: 'marketing.communications.email', jurisdiction: 'DE' });
    const withdrawn = await checkConsent(testApp.services, 'default', { subject: 'customer-7@demo.shop', purpose: 'marketing.communications.email', jurisdiction: 'DE' });
    assert.deepEqual([given.reason, withdrawn.reason], ['consent_given', 'withdrawn']);
  } finally {
    await testApp.close();
  }
});
