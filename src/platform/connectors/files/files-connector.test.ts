import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, test } from 'node:test';
import {
  aRotatedApiLogDirectory,
  apiLogsDataMapYaml,
  filesSystemOf,
} from '../../../../test/fixtures/discovery/log-directory.ts';
import type { CollectionTarget, Connector, Row, RowPredicate } from '../connector.ts';
import { createConnector } from '../create-connector.ts';

const API: CollectionTarget = { name: 'api', primaryKey: [] };
const ANN: RowPredicate = {
  kind: 'in',
  columns: ['user.email'],
  tuples: [['ann@example.com']],
  lowercase: true,
};

let logs: ReturnType<typeof aRotatedApiLogDirectory>;
let connector: Connector;
beforeEach(() => {
  logs = aRotatedApiLogDirectory();
  connector = createConnector(filesSystemOf(apiLogsDataMapYaml(logs.directory)));
});
afterEach(() => logs.remove());

function text(name: string): string {
  const bytes = readFileSync(join(logs.directory, name));
  return name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

async function all(iterable: AsyncIterable<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const page of iterable) rows.push(...page);
  return rows;
}

test('access finds the subject’s lines in the current file, its rotation and the gzipped archive, whatever the case of the e-mail', async () => {
  const rows = await all(
    connector.read({
      target: API,
      columns: ['$file', '$number', 'user.email', 'msg'],
      where: ANN,
      keyset: [],
    }),
  );
  assert.deepEqual(rows, [
    { $file: 'api.log', $number: 2, 'user.email': 'ann@example.com', msg: 'viewed order 42' },
    { $file: 'api.log.1', $number: 1, 'user.email': 'Ann@Example.com', msg: 'changed password' },
    { $file: 'api.log.2.gz', $number: 1, 'user.email': 'ann@example.com', msg: 'signed in' },
  ]);
  assert.equal(await connector.count(API, ANN), 3);
});

test('erasure masks the subject’s values in place and leaves every other line byte-identical, in gzipped archives too', async () => {
  const before = Object.fromEntries(Object.keys(logs.files).map((name) => [name, text(name)]));
  const matched = await connector.transaction((tx) =>
    tx.update({
      target: API,
      set: { 'user.email': { kind: 'value', value: 'ERASED' }, 'user.ip': { kind: 'value', value: null } },
      where: ANN,
    }),
  );
  assert.equal(matched, 3);
  for (const [name, original] of Object.entries(before)) {
    const now = text(name).split('\n');
    const was = original.split('\n');
    assert.equal(now.length, was.length, name);
    now.forEach((line, i) => {
      if (!/ann@example\.com/i.test(was[i]!)) return assert.equal(line, was[i], `${name}:${i + 1} untouched`);
      // Only the two values changed: same keys, same order, same spacing.
      assert.equal(
        line,
        was[i]!.replace(/"[Aa]nn@[Ee]xample\.com"/, '"ERASED"').replace(/"203\.0\.113\.\d"/, 'null'),
      );
    });
  }
  assert.doesNotMatch(readdirSync(logs.directory).join(' '), /steward/, 'no temporary or lock file is left');
  assert.equal(await connector.count(API, ANN), 0);
});

test('an erasure that fails half-way leaves every original as it was', async () => {
  const before = Object.fromEntries(
    Object.keys(logs.files).map((name) => [name, readFileSync(join(logs.directory, name))]),
  );
  await assert.rejects(
    connector.transaction(async (tx) => {
      await tx.delete({ target: API, where: ANN });
      throw new Error('the next system failed');
    }),
    /the next system failed/,
  );
  for (const [name, bytes] of Object.entries(before))
    assert.deepEqual(readFileSync(join(logs.directory, name)), bytes, name);
  assert.deepEqual(readdirSync(logs.directory).sort(), Object.keys(logs.files).sort());
});

test('deleting lines removes exactly the subject’s and reads inside the transaction see the change', async () => {
  const seen = await connector.transaction(async (tx) => {
    assert.equal(await tx.delete({ target: API, where: ANN }), 3);
    return tx.count(API, { kind: 'all', of: [] });
  });
  assert.equal(seen, 4);
  // Carol's line keeps its bytes, newline included, though it is now the last one.
  assert.equal(text('api.log'), `${logs.files['api.log']!.split('\n')[0]}\n`);
  assert.equal(text('api.log.2.gz'), `${logs.files['api.log.2.gz']!.split('\n')[1]}\n`);
});

test('retention drops lines older than the cut-off by their timestamp and keeps lines without one', async () => {
  const cutoff = new Date('2026-01-01T00:00:00Z');
  const removed = await connector.transaction((tx) =>
    tx.delete({ target: API, where: { kind: 'compare', column: '$time', operator: '<', value: cutoff } }),
  );
  assert.equal(removed, 2);
  assert.equal(text('api.log.2.gz'), '');
  assert.equal(text('api.log.1'), logs.files['api.log.1']);
  // Paged by the anchor, as retention sweeps read: oldest first.
  const times = await all(
    connector.read({
      target: API,
      columns: ['$time'],
      where: { kind: 'all', of: [] },
      keyset: ['$time'],
      pageSize: 2,
    }),
  );
  assert.deepEqual(
    times.map((row) => (row.$time as Date | null)?.toISOString() ?? null),
    [
      '2026-02-01T09:00:00.000Z',
      '2026-02-01T09:30:00.000Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T08:01:00.000Z',
      null,
    ],
  );
});

test('a file that changes while it is rewritten is not replaced', async () => {
  const { appendFileSync } = await import('node:fs');
  await assert.rejects(
    connector.transaction(async (tx) => {
      await tx.delete({ target: API, where: ANN });
      appendFileSync(join(logs.directory, 'api.log'), '\n{"msg":"written meanwhile"}');
    }),
    (error: Error & { code?: string }) => error.code === 'connector.files_changed',
  );
  assert.match(text('api.log'), /ann@example\.com[\s\S]*written meanwhile/);
});
