import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { verifyConsistency, verifyInclusion } from './merkle-proof-verification.ts';

// The transparency-dev vectors (Apache-2.0) from shared/testdata, vendored so a clone is self-contained.
const VECTORS = new URL('../../../test/fixtures/rfc9162/', import.meta.url).pathname;

interface InclusionCase {
  leafIdx: bigint;
  treeSize: bigint;
  root: string;
  leafHash: string;
  proof: string[] | null;
  wantErr: boolean;
}

interface ConsistencyCase {
  size1: bigint;
  size2: bigint;
  root1: string;
  root2: string;
  proof: string[] | null;
  wantErr: boolean;
}

/** Integers become bigint from their source text: some vectors use 2^64 − 1, beyond a double. */
function readVector<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8'), (_key, value, context?: { source?: string }) =>
    typeof value === 'number' && Number.isInteger(value) ? BigInt(context?.source ?? value) : value,
  ) as T;
}

function vectorFiles(kind: string): string[] {
  return readdirSync(join(VECTORS, kind), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(VECTORS, kind, name));
}

const bytes = (base64: string) => Buffer.from(base64, 'base64');

test('every RFC 9162 inclusion vector: happy paths verify, the tampered ones are rejected', () => {
  const files = vectorFiles('inclusion');
  assert.ok(files.length >= 80, `expected the full vector set, found ${files.length}`);
  for (const file of files) {
    const c = readVector<InclusionCase>(file);
    const verified = verifyInclusion(
      c.leafIdx,
      c.treeSize,
      bytes(c.leafHash),
      (c.proof ?? []).map(bytes),
      bytes(c.root),
    );
    assert.equal(verified, !c.wantErr, relative(VECTORS, file));
    if (file.endsWith('happy-path.json')) assert.equal(verified, true, relative(VECTORS, file));
  }
});

test('every RFC 9162 consistency vector: happy paths verify, the tampered ones are rejected', () => {
  const files = vectorFiles('consistency');
  assert.ok(files.length >= 80, `expected the full vector set, found ${files.length}`);
  for (const file of files) {
    const c = readVector<ConsistencyCase>(file);
    const verified = verifyConsistency(
      c.size1,
      c.size2,
      (c.proof ?? []).map(bytes),
      bytes(c.root1),
      bytes(c.root2),
    );
    assert.equal(verified, !c.wantErr, relative(VECTORS, file));
    if (file.endsWith('happy-path.json')) assert.equal(verified, true, relative(VECTORS, file));
  }
});
