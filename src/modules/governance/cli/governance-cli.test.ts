import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execFile } from 'node:child_process';
import { stringify } from 'yaml';
import { STEWARD_CLI } from '../../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import {
  BREACH_SHOP_SQL,
  misdirectedOrderExportBreachYaml,
  writeBreachShopFolder,
} from '../test-support/governance-fixture.ts';

describe('governance commands on PostgreSQL', () => {
  let source: TestSourceSystem;
  let steward: { url: string; drop(): Promise<void> };
  let root: string;
  let config: string;

  before(async () => {
    source = await createSourceSystem('postgres', 'shop');
    await source.exec(BREACH_SHOP_SQL);
    steward = await createPostgresDatabase();
    root = mkdtempSync(join(tmpdir(), 'steward-governance-cli-'));
    config = join(root, 'steward.yaml');
    writeFileSync(
      config,
      stringify({ database: { url: steward.url }, datamap: { path: writeBreachShopFolder(source.url!) } }),
    );
  });
  after(async () => {
    await steward?.drop();
    await source?.close();
  });

  async function steward_(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    return stewardWith(config, ...args);
  }
  async function stewardWith(
    configFile: string,
    ...args: string[]
  ): Promise<{ stdout: string; stderr: string; code: number }> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [STEWARD_CLI, ...args, '--config', configFile],
        { timeout: 120_000, maxBuffer: 1 << 24 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') return reject(error);
          resolve({ stdout, stderr, code: typeof error?.code === 'number' ? error.code : 0 });
        },
      );
    });
  }

  test('datamap check fails (65) on a processor without a DPA, with JUnit for CI, and passes once it is registered', async () => {
    const junit = join(root, 'check.xml');
    const failing = await steward_('datamap', 'check', '--format', 'junit', '--output', junit);
    assert.equal(failing.code, 65);
    assert.match(
      readFileSync(junit, 'utf8'),
      /<testsuite name="governance.processor_without_dpa" tests="1" failures="1"/,
    );
    const text = await steward_('datamap', 'check');
    assert.match(text.stdout, /shop\.yaml:\d+: error governance\.processor_without_dpa \(Card processor\)/);

    const processor = join(root, 'card-processor.yaml');
    writeFileSync(
      processor,
      stringify({
        name: 'Card processor',
        role: 'processor',
        countries: ['US'],
        dpa: { signedOn: '2025-01-10' },
        mechanism: { kind: 'scc', module: 2, signedOn: '2025-01-10' },
        tia: { assessedOn: '2025-01-05', outcome: 'no_supplementary_measures_needed' },
      }),
    );
    assert.equal(
      (await steward_('governance', 'processor', 'set', 'card-processor', '--file', processor)).code,
      0,
    );
    const passing = await steward_(
      'datamap',
      'check',
      '--format',
      'sarif',
      '--output',
      join(root, 'check.sarif'),
    );
    assert.equal(passing.code, 0);
    assert.equal(JSON.parse(readFileSync(join(root, 'check.sarif'), 'utf8')).version, '2.1.0');
    assert.equal((await steward_('datamap', 'check', '--strict')).code, 65, 'warnings fail with --strict');
  });

  test('ropa export writes a PDF; ropa set and ropa diff show a hand-written change', async () => {
    const pdf = join(root, 'ropa.pdf');
    assert.equal((await steward_('ropa', 'export', '--format', 'pdf', '--output', pdf)).code, 0);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
    await steward_('ropa', 'set', '*', 'securityMeasures', 'TLS everywhere', 'Encrypted backups');
    const diff = await steward_('ropa', 'diff');
    assert.match(
      diff.stdout,
      /~ controller:essential\.service securityMeasures \(Art\. 30\(1\)\(g\)\)\n {4}\+ TLS everywhere/,
    );
  });

  test('ropa export with a data map that declares no system writes nothing and says why (65)', async () => {
    const empty = join(root, 'empty.yaml');
    writeFileSync(
      empty,
      stringify({ database: { url: steward.url }, datamap: { path: mkdtempSync(join(root, 'no-map-')) } }),
    );
    const pdf = join(root, 'empty-ropa.pdf');
    const refused = await stewardWith(empty, 'ropa', 'export', '--format', 'pdf', '-o', pdf);
    assert.equal(refused.code, 65, refused.stderr);
    assert.match(
      refused.stderr,
      /^steward: The data map of tenant default declares no system, so the record of processing would list no processing; nothing was written\. .*--demo/,
    );
    assert.equal(existsSync(pdf), false);
  });

  test('a breach is recorded from a file, counted in the shop, assessed and drafted', async () => {
    const file = join(root, 'breach.yaml');
    writeFileSync(file, misdirectedOrderExportBreachYaml());
    const recorded = await steward_('breach', 'record', '--file', file, '--json');
    const { id } = JSON.parse(recorded.stdout) as { id: string };
    const counted = JSON.parse((await steward_('breach', 'count', id, '--json')).stdout) as {
      count: { subjects: number; records: number };
    };
    const [truth] = await source.query<{ subjects: string; records: string }>(
      "select count(distinct customer_id) as subjects, count(*) as records from orders where placed_at >= '2026-02-01' and placed_at < '2026-02-11'",
    );
    assert.deepEqual(
      [counted.count.subjects, counted.count.records],
      [Number(truth!.subjects), Number(truth!.records)],
    );
    const assessed = await steward_('breach', 'assess', id, '--likelihood', '1', '--severity', '2');
    assert.match(assessed.stdout, /Art\. 33\(1\): unlikely to result in a risk/);
    const shown = await steward_('breach', 'show', id);
    assert.match(shown.stdout, /no notification required/);
    const html = join(root, 'notice.html');
    await steward_('breach', 'notice', id, '--audience', 'subjects', '--format', 'html', '--output', html);
    assert.match(readFileSync(html, 'utf8'), /What you can do/);
  });
});
