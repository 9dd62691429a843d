import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrateSteward } from '../../../app/start-steward.ts';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import { createTaxonomy } from '../../../platform/taxonomy/taxonomy.ts';
import { aConfigFile, runSteward } from '../../../../test/support/steward-process.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../../../../test/support/test-database.ts';
import { TEST_ACTOR } from '../test-support/consent-fixtures.ts';
import { createNotice } from '../use-cases/notices.ts';

test(`steward consent import, check and history work as commands`, async () => {
  const postgres = await createPostgresDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'steward-consent-cli-'));
  try {
    const database = await openDatabase(testDatabaseConfig(join(dir, 'db'), postgres?.url));
    await migrateSteward(database);
    await createNotice(database.db, createTaxonomy(), TEST_ACTOR, {
      key: 'newsletter',
      purpose: 'marketing.communications.email',
      title: 'Newsletter',
      text: 'Weekly.',
      legalBasis: 'consent',
      mechanism: 'opt_in',
    });
    await database.close();
    const config = aConfigFile({
      database: postgres ? { url: postgres.url } : { dataDir: join(dir, 'db') },
      logging: { level: 'warn' },
    });
    const file = join(dir, 'consents.jsonl');
    writeFileSync(
      file,
      [
        '{"subject":"u1","purpose":"marketing.communications.email","action":"given","notice":"newsletter"}',
        '{"subject":"u2","purpose":"nope","action":"given"}',
      ].join('\n'),
    );

    const refused = await runSteward(['consent', 'import', file, '--config', config]);
    assert.equal(refused.code, 65, refused.stderr + refused.stdout);
    assert.match(refused.stdout, /Nothing imported[\s\S]*line 2: Purpose "nope"/);

    const imported = await runSteward([
      'consent',
      'import',
      file,
      '--skip-invalid',
      '--config',
      config,
      '--json',
    ]);
    assert.equal(JSON.parse(imported.stdout).imported, 1);

    const allowed = await runSteward([
      'consent',
      'check',
      'u1',
      'marketing.communications.email',
      '--config',
      config,
    ]);
    assert.equal(allowed.code, 0);
    assert.match(allowed.stdout, /^ALLOWED \(consent_given, consent\)/);
    const notAllowed = await runSteward([
      'consent',
      'check',
      'u2',
      'marketing.communications.email',
      '--config',
      config,
    ]);
    assert.equal(notAllowed.code, 1);
    assert.match(notAllowed.stdout, /NOT ALLOWED \(never_given/);
  } finally {
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
