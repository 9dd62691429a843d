// `steward demo mail` shows what the demo kept instead of sending, newest first, code included.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../../test/support/steward-process.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../../../../test/support/test-database.ts';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import { migrateSteward } from '../../../app/start-steward.ts';
import type { Database } from '../../../app/database.ts';
import { configSchema } from '../../../app/config/config-schema.ts';
import { sendRequesterMail } from '../../dsr/api.ts';

describe('steward demo mail', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-demo-mail-'));
  let server: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let configFile: string;
  before(async () => {
    server = await createPostgresDatabase();
    configFile = aConfigFile({
      database: { url: server.url },
      dsr: { dataDir },
      server: { port: 8123 },
      logging: { level: 'warn' },
    });
  });
  after(async () => {
    await server.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('with nothing kept yet, says where mail comes from', async () => {
    const result = await runSteward(['demo', 'mail', '-c', configFile]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^No mail in the demo outbox yet\. .* http:\/\/127\.0\.0\.1:8123\/privacy/);
  });

  test('lists the kept mail newest first, with the code to type in', async () => {
    const database = await openDatabase<Database>(testDatabaseConfig(dataDir, server.url));
    try {
      await migrateSteward(database);
      const services = { config: configSchema.parse({ dsr: { dataDir, outbox: true } }), database };
      await sendRequesterMail(services, {
        tenantId: 'default',
        requestId: 'req-1',
        to: 'ana@example.com',
        subject: 'Your code',
        text: 'Enter this code: 123456\nIt is valid for 10 minutes.',
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sendRequesterMail(services, {
        tenantId: 'default',
        requestId: 'req-1',
        to: 'ana@example.com',
        subject: 'We received your request',
        text: 'Reference req-1.',
      });
    } finally {
      await database.close();
    }

    const shown = await runSteward(['demo', 'mail', '-c', configFile]);
    assert.equal(shown.code, 0, shown.stderr);
    const [headline, newest, older] = shown.stdout.trim().split('\n\n');
    assert.match(headline!, /^Demo mail, newest first \(2 shown/);
    assert.match(
      newest!,
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}to ana@example\.com {2}request req-1\nSubject: We received your request\n {2}Reference req-1\.$/,
    );
    assert.match(older!, /Subject: Your code\n {2}Enter this code: 123456\n/);

    const json = await runSteward(['demo', 'mail', '--limit', '1', '--json', '-c', configFile]);
    assert.equal(json.code, 0, json.stderr);
    const mails = JSON.parse(json.stdout) as { subject: string; to: string; createdAt: string }[];
    assert.deepEqual(
      mails.map((mail) => [mail.subject, mail.to]),
      [['We received your request', 'ana@example.com']],
    );
  });

  test('refuses a limit that is not a count', async () => {
    const result = await runSteward(['demo', 'mail', '--limit', 'all', '-c', configFile]);
    assert.equal(result.code, 65);
    assert.equal(result.stderr, 'steward: --limit all is not a number of mails from 1 to 1000.\n');
  });
});
