import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.ts';
import { dataMapOf } from '../../../../test/fixtures/discovery/log-directory.ts';
import { planAccess } from '../../../modules/dsr/core/planning/plan-access.ts';
import { planErasure } from '../../../modules/dsr/core/planning/plan-erasure.ts';
import { runAccessForSystem } from '../../../modules/dsr/use-cases/execution/run-access.ts';
import { runErasureForSystem } from '../../../modules/dsr/use-cases/execution/run-erasure.ts';
import { journalHasher, recordErasure } from '../../../modules/dsr/use-cases/journal/record-erasure.ts';
import { replayErasures } from '../../../modules/dsr/use-cases/journal/replay-erasures.ts';
import { keyringFromSecret } from '../../../modules/dsr/use-cases/requests/dsr-keyring.ts';
import { createConnector } from '../create-connector.ts';

/**
 * Plain-text access logs, where identities are found by the PII detector (`pii:email`), go through
 * the same DSR planner, executor and erased-subject journal as any database.
 */
const LINES = {
  'access.log.1.gz': [
    '2026-01-10T10:00:00Z GET /account user=ann@example.com ip=203.0.113.7 200',
    '2026-01-10T10:00:05Z GET /account user=bob@example.org ip=198.51.100.2 200',
  ],
  'access.log': [
    '2026-03-01T08:00:00Z POST /login user=carol@example.net ip=192.0.2.44 302',
    '2026-03-01T08:01:00Z GET /orders/42 user=ANN@example.com ip=203.0.113.9 200 ref=mailto:bob@example.org',
    '2026-03-01T08:02:00Z healthcheck ok',
  ],
};

const hash = journalHasher(keyringFromSecret('files-journal-test-secret-0123456789abcdef'), 'default');
let steward: TestDatabase;
let directory: string;
before(async () => {
  steward = await createTestDatabase();
  directory = mkdtempSync(join(tmpdir(), 'steward-access-logs-'));
  for (const [name, lines] of Object.entries(LINES)) {
    const text = `${lines.join('\n')}\n`;
    writeFileSync(join(directory, name), name.endsWith('.gz') ? gzipSync(text) : text);
  }
});
after(async () => {
  await steward.close();
  rmSync(directory, { recursive: true, force: true });
});

const dataMap = () =>
  dataMapOf(`
systems:
  - id: web_logs
    kind: files
    connection: { directory: ${JSON.stringify(directory)} }
    collections:
      - name: access
        files: { glob: "access.log*", format: text }
        fields:
          - { name: $line }
          - { name: pii:email, identity: email, categories: [user.contact.email], erasure: { strategy: fixed_value, value: "[erased]" } }
          - { name: pii:ip_address, categories: [user.device.ip_address], erasure: { strategy: fixed_value, value: "0.0.0.0" } }
`);

function content(): Record<string, string> {
  return Object.fromEntries(
    Object.keys(LINES).map((name) => {
      const bytes = readFileSync(join(directory, name));
      return [name, (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')];
    }),
  );
}

test('access, erasure and replay after a restore run on plain-text logs through the DSR planner and executor', async () => {
  const map = dataMap();
  const connector = createConnector(map.systems[0]!);
  const backup = mkdtempSync(join(tmpdir(), 'steward-access-logs-backup-'));
  cpSync(directory, backup, { recursive: true });
  try {
    // Art. 15: Ann's two lines, across the archive and the current file, whatever the case.
    const pages = [];
    for await (const page of runAccessForSystem(
      planAccess(map, { email: ['ann@example.com'] }),
      'web_logs',
      connector,
    ))
      pages.push(...page.rows);
    assert.deepEqual(
      pages.map((row) => row.$line),
      [LINES['access.log'][1], LINES['access.log.1.gz'][0]],
    );

    // Art. 17: her e-mail and IP are masked where they stand; Bob's address on her line stays.
    const plan = planErasure(map, { email: ['ann@example.com'] });
    const report = await runErasureForSystem(plan, 'web_logs', connector);
    const erased = content();
    assert.equal(
      erased['access.log'],
      [
        LINES['access.log'][0],
        '2026-03-01T08:01:00Z GET /orders/42 user=[erased] ip=0.0.0.0 200 ref=mailto:bob@example.org',
        LINES['access.log'][2],
        '',
      ].join('\n'),
    );
    assert.equal(
      erased['access.log.1.gz'],
      `2026-01-10T10:00:00Z GET /account user=[erased] ip=0.0.0.0 200\n${LINES['access.log.1.gz'][1]}\n`,
    );
    assert.ok(report.collections[0]!.fieldsMasked['pii:email']! >= 1);
    await recordErasure(
      steward.db,
      { tenantId: 'default', plan, reports: [report], requestId: 'req-ann' },
      hash,
    );

    // A backup from before the erasure is restored: Ann is back until the journal is replayed.
    rmSync(directory, { recursive: true, force: true });
    cpSync(backup, directory, { recursive: true });
    assert.match(content()['access.log']!, /ANN@example\.com/);
    const replay = await replayErasures({
      db: steward.db,
      tenantId: 'default',
      since: new Date(Date.now() - 60_000),
      hash,
      connectorFor: (id) => (id === 'web_logs' ? connector : undefined),
    });
    assert.deepEqual(
      replay.outcomes.map((o) => o.outcome),
      ['erased'],
    );
    assert.deepEqual(content(), erased);
  } finally {
    rmSync(backup, { recursive: true, force: true });
  }
});
