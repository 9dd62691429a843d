import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestApp } from '../../../test/support/test-app.ts';
import { ensureDemoOwnerKey } from './demo-owner-key.ts';

test(`the demo gives a newcomer one owner API key on its first start, kept for later starts`, async () => {
  const testApp = await startTestApp();
  const dir = mkdtempSync(join(tmpdir(), 'steward-demo-key-'));
  try {
    const first = await ensureDemoOwnerKey(testApp.database.db, join(dir, 'demo-shop'));
    assert.ok(first?.issuedNow);
    assert.match(first.token, /^stw_/);
    assert.equal(statSync(first.file).mode & 0o777, 0o600);

    const response = await testApp.app.inject({
      method: 'GET',
      url: '/v1/datamap',
      headers: { authorization: `Bearer ${first.token}` },
    });
    assert.equal(response.statusCode, 200, response.body);

    const again = await ensureDemoOwnerKey(testApp.database.db, join(dir, 'demo-shop'));
    assert.deepEqual(again, { ...first, issuedNow: false });
    const keys = await testApp.database.db.selectFrom('api_keys').select('id').execute();
    assert.equal(keys.length, 1, 'the second start issues no second key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await testApp.close();
  }
});

test(`an installation whose tenant already has API keys is never given a demo key`, async () => {
  const testApp = await startTestApp();
  const dir = mkdtempSync(join(tmpdir(), 'steward-demo-key-'));
  try {
    await testApp.headers('owner');
    assert.equal(await ensureDemoOwnerKey(testApp.database.db, join(dir, 'demo-shop')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await testApp.close();
  }
});
