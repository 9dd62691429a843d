import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLogRoots } from './compute-log-roots.ts';
import { CHUNK_LEAVES } from './log-chunk-hasher.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from './merkle-frontier.ts';
import { hashLeaf } from './merkle-hash.ts';

test('roots computed in parallel chunks equal leaf-by-leaf roots, at chunk edges and in between', async () => {
  const count = 4 * CHUNK_LEAVES + 1234;
  const entries = Array.from({ length: count }, (_, i) => `{"n":${i}}`);
  const bytes = Buffer.from(`{"header":true}\n${entries.join('\n')}\n`);
  const starts = new Float64Array(count + 1);
  let position = bytes.indexOf(0x0a) + 1;
  for (let i = 0; i <= count; i++) {
    starts[i] = position;
    position += (entries[i]?.length ?? 0) + 1;
  }
  const sizes = [1, 2, 3, CHUNK_LEAVES - 1, CHUNK_LEAVES, CHUNK_LEAVES + 1, 3 * CHUNK_LEAVES + 77, count];
  const expected = new Map<number, string>();
  const frontier = emptyFrontier();
  for (const entry of entries) {
    appendLeaf(frontier, hashLeaf(Buffer.from(entry)));
    if (sizes.includes(frontier.size))
      expected.set(frontier.size, Buffer.from(frontierRoot(frontier)).toString('hex'));
  }
  const hex = (roots: Map<number, Uint8Array>) =>
    new Map([...roots].map(([size, root]) => [size, Buffer.from(root).toString('hex')]));
  const before = Buffer.from(bytes);
  assert.deepEqual(hex(await computeLogRoots({ bytes, starts }, count, sizes, { threads: 2 })), expected);
  assert.deepEqual(hex(await computeLogRoots({ bytes, starts }, count, sizes, { threads: 1 })), expected);
  assert.ok(before.equals(bytes), 'the export bytes are left as they were');
});
