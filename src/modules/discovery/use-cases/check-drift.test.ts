import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { aConfigFile } from '../../../../test/support/steward-process.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { EXIT_CODE_BY_KIND } from '../../../kernel/cli/exit-codes.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import { datamapCheckCommand } from './datamap-check-command.ts';

let source: TestSourceSystem;
let dir: string;
let config: string;
before(async () => {
  source = await createSourceSystem('postgres', 'app');
  await source.exec(`create table accounts (id int primary key, plan text);
    insert into accounts select g, 'free' from generate_series(1, 30) g;`);
  process.env.CHECK_TEST_APP_URL = source.url;
  dir = mkdtempSync(join(tmpdir(), 'steward-check-'));
  writeFileSync(
    join(dir, 'app.yaml'),
    `systems:
  - id: app
    kind: postgres
    connection: { url: env:CHECK_TEST_APP_URL }
    collections:
      - name: accounts
        primaryKey: [id]
        fields: [{ name: id }, { name: plan }]
`,
  );
  config = aConfigFile({ datamap: { path: dir }, database: { url: source.url } });
});
after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `steward datamap check …` as the CLI would, returning the exit code it maps to. */
async function check(...args: string[]): Promise<number> {
  const program = new Command().option('--config <file>').option('--json').exitOverride();
  program.addCommand(new Command('datamap').addCommand(datamapCheckCommand()));
  try {
    await program.parseAsync(['node', 'steward', '--config', config, 'datamap', 'check', ...args]);
    return 0;
  } catch (error) {
    if (isDomainError(error)) return EXIT_CODE_BY_KIND[error.kind];
    throw error;
  }
}

test('CI fails when a migration adds an undeclared e-mail column, and passes once the data map declares it', async () => {
  const report = join(dir, 'report.sarif');
  assert.equal(await check('--format', 'sarif', '--output', report), 0);
  assert.deepEqual(JSON.parse(readFileSync(report, 'utf8')).runs[0].results, []);

  await source.exec(`alter table accounts add column contact_email text;
    update accounts set contact_email = 'owner' || id || '@example.com';`);
  assert.equal(await check('--format', 'sarif', '--output', report), 65);
  const [result] = JSON.parse(readFileSync(report, 'utf8')).runs[0].results;
  assert.equal(result.ruleId, 'discovery.undeclared_field');
  assert.equal(result.locations[0].physicalLocation.region.startLine, 6);

  const junit = join(dir, 'report.xml');
  assert.equal(await check('--format', 'junit', '--output', junit), 65);
  assert.match(readFileSync(junit, 'utf8'), /<failure type="discovery.undeclared_field"/);

  writeFileSync(
    join(dir, 'app.yaml'),
    readFileSync(join(dir, 'app.yaml'), 'utf8').replace(
      '{ name: plan }',
      '{ name: plan }, { name: contact_email, identity: email, categories: [user.contact.email] }',
    ),
  );
  assert.equal(await check('--format', 'junit', '--output', junit), 0);
});
