import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { AccessPage } from '../execution/index.ts';
import { buildAccessPackage } from './access-package.ts';
import { readStagedSystem, stageSystemAccess, type StagingLocation } from './access-staging.ts';
import { article15Context } from './article15-context.ts';
import { openEncryptedFile } from './encrypted-file.ts';
import { packageContext } from './package-files.ts';
import { unzipText } from '../../../../../test/support/unzip-text.ts';

const root = mkdtempSync(join(tmpdir(), 'steward-package-'));
after(() => rmSync(root, { recursive: true, force: true }));

const location = (requestId: string): StagingLocation => ({
  dataDir: root,
  key: randomBytes(32),
  tenantId: 'default',
  requestId,
});

/** An order history with the values that break naive exports: commas, quotes, line breaks, JSON, dates, bytes. */
async function* anOrderHistory(orders: number): AsyncGenerator<AccessPage> {
  yield {
    system: 'shop',
    collection: 'customers',
    rows: [
      {
        id: 7,
        email: 'zoe@example.com',
        note: 'likes "tea", not coffee\nsecond line',
        settings: { theme: 'dark' },
        avatar: Buffer.from([1, 2, 3]),
        born: new Date('1990-02-03T00:00:00Z'),
      },
    ],
  };
  for (let start = 0; start < orders; start += 1000) {
    const rows = [];
    for (let id = start; id < Math.min(orders, start + 1000); id++)
      rows.push({ id, customer_id: 7, total: (id % 97) + 0.5, shipped: id % 2 === 0 });
    yield { system: 'shop', collection: 'orders', rows };
  }
}

async function decryptToBuffer(file: string, key: Buffer, context: string): Promise<Buffer> {
  const { stream } = await openEncryptedFile(file, key, context);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the access package', () => {
  test('holds every staged row once in the JSON and in one CSV per collection, values intact', async () => {
    const where = location('r-package');
    const staged = await stageSystemAccess(where, 'shop', anOrderHistory(2500));
    assert.deepEqual(
      staged.collections.map((c) => [c.collection, c.rows]),
      [
        ['customers', 1],
        ['orders', 2500],
      ],
    );
    assert.deepEqual(await readStagedSystem(where, 'shop'), staged);

    const built = await buildAccessPackage(
      where,
      {
        id: 'r-package',
        type: 'access',
        regime: 'gdpr',
        regimeType: 'access',
        receivedAt: '2027-01-01T00:00:00.000Z',
      },
      article15Context({ tenant: 'default', systems: [], identities: [], edges: [], sources: [] }, [staged]),
      [staged],
    );
    assert.deepEqual([built.collections, built.rows], [2, 2501]);
    const plainZip = await decryptToBuffer(
      join(root, built.file),
      where.key,
      packageContext('default', 'r-package'),
    );
    const files = await unzipText(plainZip);
    assert.deepEqual([...files.keys()].sort(), [
      'README.txt',
      'csv/shop/customers.csv',
      'csv/shop/orders.csv',
      'personal-data.json',
    ]);

    const document = JSON.parse(files.get('personal-data.json')!);
    assert.equal(document.data.shop.orders.length, 2500);
    assert.deepEqual(document.data.shop.customers[0], {
      id: 7,
      email: 'zoe@example.com',
      note: 'likes "tea", not coffee\nsecond line',
      settings: { theme: 'dark' },
      avatar: 'AQID',
      born: '1990-02-03T00:00:00.000Z',
    });

    const customers = parse(files.get('csv/shop/customers.csv')!, { columns: true }) as Record<
      string,
      string
    >[];
    assert.deepEqual(customers, [
      {
        id: '7',
        email: 'zoe@example.com',
        note: 'likes "tea", not coffee\nsecond line',
        settings: '{"theme":"dark"}',
        avatar: 'AQID',
        born: '1990-02-03T00:00:00.000Z',
      },
    ]);
    const orders = parse(files.get('csv/shop/orders.csv')!, { columns: true }) as Record<string, string>[];
    assert.equal(orders.length, 2500);
    assert.deepEqual(orders[2], { id: '2', customer_id: '7', total: '2.5', shipped: 'true' });
    assert.match(files.get('README.txt')!, /shop\/orders: 2500/);
  });

  test('is unreadable without its key and context, and a changed byte is detected', async () => {
    const where = location('r-tamper');
    const staged = await stageSystemAccess(where, 'shop', anOrderHistory(10));
    const built = await buildAccessPackage(
      where,
      {
        id: 'r-tamper',
        type: 'access',
        regime: 'gdpr',
        regimeType: 'access',
        receivedAt: '2027-01-01T00:00:00.000Z',
      },
      article15Context({ tenant: 'default', systems: [], identities: [], edges: [], sources: [] }, [staged]),
      [staged],
    );
    const file = join(root, built.file);
    assert.ok(!readFileSync(file).includes(Buffer.from('zoe@example.com')));
    await assert.rejects(
      decryptToBuffer(file, where.key, packageContext('default', 'another-request')),
      /authenticate/,
    );
    await assert.rejects(
      decryptToBuffer(file, randomBytes(32), packageContext('default', 'r-tamper')),
      /authenticate/,
    );
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(file, bytes);
    await assert.rejects(
      decryptToBuffer(file, where.key, packageContext('default', 'r-tamper')),
      /authenticate/,
    );
  });
});
