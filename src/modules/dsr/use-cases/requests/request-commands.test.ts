import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../../../test/support/test-database.ts';

let root: string;
let configFile: string;
let steward: { url?: string; drop?: () => Promise<void> } = {};
const env = { TEST_DSR_KEY: 'cli-test-dsr-key-0123456789abcdefghijklmnop' };

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'steward-dsr-requests-cli-'));
  steward = await createPostgresDatabase();
  configFile = aConfigFile({
    database: steward.url ? { url: steward.url } : { dataDir: join(root, 'db') },
    datamap: { path: join(root, 'datamap') },
    dsr: { keyRef: 'env:TEST_DSR_KEY', dataDir: join(root, 'dsr'), approvalRequired: ['erasure'] },
    // The CLI is one operator identity, who here both submits and approves: four eyes need two.
    auth: { separationOfDuties: { requests: false } },
  });
});
after(async () => {
  await steward.drop?.();
  rmSync(root, { recursive: true, force: true });
});

const steward$ = (...args: string[]) => runSteward(['--config', configFile, ...args], { env });
async function json(...args: string[]) {
  const run = await steward$('--json', ...args);
  assert.equal(run.code, 0, run.stderr || run.stdout);
  return JSON.parse(run.stdout);
}

test(`an agent records, approves, extends and closes requests from the command line`, async () => {
  const erasure = await json(
    'dsr',
    'submit',
    '--type',
    'erasure',
    '--email',
    'Ann@Example.com',
    '--identity',
    'user_id=42',
    '--verified',
  );
  assert.equal(erasure.state, 'awaiting_approval');
  assert.equal(erasure.source, 'agent');

  const text = await steward$('dsr', 'status', erasure.id);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /GDPR erasure \(erasure\), awaiting_approval/);
  assert.match(text.stdout, /identities: email, user_id/);
  assert.doesNotMatch(text.stdout, /ann@example\.com/i, 'identity values are not printed');
  assert.match(text.stdout, /transition\s+received → verified\s+by system:steward-cli/);

  const unconfirmed = await steward$('dsr', 'approve', erasure.id);
  assert.equal(unconfirmed.code, 65, 'an erasure is not approved from a script without --yes');
  assert.match(
    unconfirmed.stderr,
    /starts erasing the data subject's personal data in every system .* Add --yes/,
  );
  const approved = await json('--yes', 'dsr', 'approve', erasure.id, '--note', 'account checked');
  assert.equal(approved.state, 'in_progress');

  const duplicate = await steward$(
    'dsr',
    'submit',
    '--type',
    'erasure',
    '--email',
    'ann@example.com',
    '--verified',
  );
  assert.equal(duplicate.code, 75);
  assert.equal(
    duplicate.stderr,
    `steward: An open request of this type for this data subject already exists (${erasure.id}); it is being handled. Add --link-duplicate to record this one anyway, linked to it.\n`,
  );

  const cancel = await steward$('dsr', 'cancel', erasure.id);
  assert.equal(cancel.code, 75, 'a state conflict exits with EX_TEMPFAIL');
  assert.match(cancel.stderr, /cannot go from in_progress to cancelled/);

  const ccpa = await json(
    'dsr',
    'submit',
    '--type',
    'know',
    '--email',
    'bob@example.com',
    '--verified',
    '--received-at',
    new Date(Date.now() - 50 * 24 * 3600 * 1000).toISOString(),
  );
  assert.equal(ccpa.regime, 'ccpa');
  assert.equal(ccpa.overdue, true, 'received 50 days ago: past the 45-day CCPA deadline');
  const overdue = await json('dsr', 'status', '--overdue');
  assert.deepEqual(
    overdue.items.map((r: { id: string }) => r.id),
    [ccpa.id],
  );

  const other = await json('dsr', 'submit', '--type', 'erasure', '--email', 'carl@example.com', '--verified');
  const extended = await json(
    'dsr',
    'extend',
    other.id,
    '--months',
    '2',
    '--reason',
    'records spread over many systems',
  );
  assert.deepEqual(extended.extension, {
    amount: 2,
    unit: 'months',
    reason: 'records spread over many systems',
  });
  const denied = await json(
    'dsr',
    'deny',
    other.id,
    '--reason',
    'the account belongs to a company, not a person',
  );
  assert.equal(denied.state, 'denied');

  const noReason = await steward$('dsr', 'deny', ccpa.id);
  assert.equal(noReason.code, 64, 'a missing required option is a usage error');
  const unknown = await steward$('dsr', 'approve', '00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.code, 66);
  assert.match(unknown.stderr, /no request 00000000-0000-4000-8000-000000000000/);
});
