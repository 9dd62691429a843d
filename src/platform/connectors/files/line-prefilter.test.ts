import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, test } from 'node:test';
import { filesSystemOf } from '../../../../test/fixtures/discovery/log-directory.ts';
import type { CollectionTarget, Connector, RowPredicate } from '../connector.ts';
import { createConnector } from '../create-connector.ts';

/**
 * The rewrite skips lines that do not contain the subject's value as bytes, without parsing them.
 * These tests prove it cannot skip a line the predicate (which parses every line it sees) matches:
 * the subject written in other letter cases, with JSON escapes, or with a non-ASCII letter that
 * lower-cases to an ASCII one, across the 1 MB read chunks and in a gzipped rotation.
 */
const API: CollectionTarget = { name: 'api', primaryKey: [] };
const KIM: RowPredicate = {
  kind: 'in',
  columns: ['user.email'],
  tuples: [['kim@example.com']],
  lowercase: true,
};

/** Spellings of kim@example.com inside a JSON string literal, each of which JSON.parse reads as her. */
const KIM_SPELLINGS = [
  'kim@example.com',
  'KIM@EXAMPLE.COM',
  'Kim@Example.Com',
  'kim\\u0040example.com', // @ escaped, as some encoders do
  '\\u004bim@example.com', // an escaped capital K
  'kim@example\\u002ecom',
  '\u212aim@example.com', // KELVIN SIGN, whose lower case is k
  '\\u212aim@example.com',
];
/** Lines that look like hers to a byte search but are not (they must come out byte-identical). */
const DECOYS = ['kim@example.com.au', 'kim\\u0040example.org', 'caf\\u00e9@example.com', 'kimm@example.com'];

function line(i: number, email: string): string {
  // Written by hand, not JSON.stringify, so the escapes stay as the test spells them.
  return `{"ts":"2026-03-01T08:${String(i % 60).padStart(2, '0')}:00Z","msg":"GET /orders/${i}","user":{"email":"${email}","ip":"10.0.${(i >> 8) & 255}.${i & 255}"}}`;
}

/** About 5 MB of lines (past the rewrite's early flush at 4 MB), the subject's and decoys spread through them. */
function aLog(seed: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < 40_000; i++) {
    if (i % 397 === 0) lines.push(line(i, KIM_SPELLINGS[(i + seed) % KIM_SPELLINGS.length]!));
    else if (i % 211 === 0) lines.push(line(i, DECOYS[(i + seed) % DECOYS.length]!));
    else lines.push(line(i, `user${i}@example.org`));
  }
  return `${lines.join('\n')}\n`;
}

/** What the predicate means, computed line by line without any pre-filter. */
function isKims(text: string): boolean {
  try {
    return String(JSON.parse(text).user.email).toLowerCase() === 'kim@example.com';
  } catch {
    return false;
  }
}

let directory: string;
let connector: Connector;
const files: Record<string, string> = {};
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'steward-prefilter-'));
  files['api.log'] = aLog(0);
  files['api.log.1.gz'] = aLog(3);
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(directory, name), name.endsWith('.gz') ? gzipSync(text) : text);
  connector = createConnector(
    filesSystemOf(`
systems:
  - id: app_logs
    kind: files
    connection: { directory: ${JSON.stringify(directory)} }
    collections:
      - name: api
        files: { glob: "api.log*", format: jsonl }
        fields:
          - { name: user.email, identity: email, categories: [user.contact.email], erasure: { strategy: fixed_value, value: "[erased]" } }
          - { name: user.account, categories: [user.account.username] }
`),
  );
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function current(name: string): string {
  const bytes = readFileSync(join(directory, name));
  return name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

test('every spelling of the subject the predicate matches is masked, every other line keeps its bytes', async () => {
  const expected = Object.values(files).flatMap((text) => text.split('\n').filter(isKims)).length;
  assert.ok(expected >= 2 * 50, `the fixture holds her lines (${expected})`);
  assert.equal(await connector.count(API, KIM), expected, 'count sees every spelling');

  const matched = await connector.transaction((tx) =>
    tx.update({ target: API, set: { 'user.email': { kind: 'value', value: '[erased]' } }, where: KIM }),
  );

  assert.equal(matched, expected);
  for (const [name, original] of Object.entries(files)) {
    const was = original.split('\n');
    const now = current(name).split('\n');
    assert.equal(now.length, was.length, name);
    const spellings = new Set<string>();
    was.forEach((before, i) => {
      if (!isKims(before)) return assert.equal(now[i], before, `${name}:${i + 1} untouched`);
      spellings.add(/"email":"([^"]*)"/.exec(before)![1]!);
      assert.equal(now[i], before.replace(/"email":"[^"]*"/, '"email":"[erased]"'), `${name}:${i + 1}`);
    });
    assert.deepEqual([...spellings].sort(), [...KIM_SPELLINGS].sort(), `${name} held every spelling`);
  }
  assert.equal(await connector.count(API, KIM), 0);
});

test('a value with a slash is found where the writer escaped it as \\/ (PHP’s json_encode)', async () => {
  writeFileSync(
    join(directory, 'api.log'),
    '{"user":{"account":"acct\\/42"}}\n{"user":{"account":"acct/42"}}\n{"user":{"account":"acct/421"}}\n',
  );
  const where: RowPredicate = { kind: 'equals', column: 'user.account', value: 'acct/42' };
  const removed = await connector.transaction((tx) => tx.delete({ target: API, where }));
  assert.equal(removed, 2);
  assert.equal(current('api.log'), '{"user":{"account":"acct/421"}}\n');
});
