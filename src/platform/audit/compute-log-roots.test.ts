import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLogRoots } from './compute-log-roots.ts';
import { exportFromBytes } from './export-byte-source.ts';
import { readLineBlocks } from './export-line-blocks.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from './merkle-frontier.ts';
import { EMPTY_TREE_ROOT, hashLeaf } from './merkle-hash.ts';

/** Lines of varied length, some far longer than a small block, and one with non-ASCII text. */
function someEntries(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i % 997 === 0 ? `{"n":${i},"pad":"${'x'.repeat(9000)}"}` : `{"n":${i},"who":"Zoë ${'y'.repeat(i % 50)}"}`,
  );
}

/** The roots at `sizes`, hashed leaf by leaf with the integrator's frontier. */
function rootsLeafByLeaf(entries: string[], sizes: number[]): Map<number, string> {
  const expected = new Map<number, string>();
  if (sizes.includes(0)) expected.set(0, hex(EMPTY_TREE_ROOT));
  const frontier = emptyFrontier();
  for (const entry of entries) {
    appendLeaf(frontier, hashLeaf(Buffer.from(entry)));
    if (sizes.includes(frontier.size)) expected.set(frontier.size, hex(frontierRoot(frontier)));
  }
  return expected;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('roots over streamed blocks equal leaf-by-leaf roots, on one thread and on workers, at any size', async () => {
  const entries = someEntries(70_000);
  const bytes = Buffer.from(`${entries.join('\n')}\n`);
  const sizes = [0, 1, 2, 3, 1023, 1024, 1025, 65_535, 65_536, 65_537, 69_999, 70_000, 70_001];
  const expected = rootsLeafByLeaf(entries, sizes);
  const before = Buffer.from(bytes);
  for (const threads of [1, 2]) {
    // 8 KiB blocks: lines cross block ends, and the 9 KB lines do not fit a block at all.
    const blocks = readLineBlocks(exportFromBytes(bytes), 8 << 10);
    const { entries: count, roots } = await computeLogRoots(blocks, sizes, { threads });
    assert.equal(count, 70_000, `${threads} thread(s)`);
    assert.deepEqual(new Map([...roots].map(([size, root]) => [size, hex(root)])), expected);
  }
  assert.ok(before.equals(bytes), 'the caller’s bytes are left as they were');
});

test('a last line without its newline is still an entry, hashed as it is', async () => {
  const entries = someEntries(5);
  const blocks = readLineBlocks(exportFromBytes(Buffer.from(entries.join('\n'))), 64);
  const { entries: count, roots } = await computeLogRoots(blocks, [5], { threads: 1 });
  assert.equal(count, 5);
  assert.equal(hex(roots.get(5)!), rootsLeafByLeaf(entries, [5]).get(5));
});
