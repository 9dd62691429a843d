import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLeaf, emptyFrontier, frontierRoot } from './merkle-frontier.ts';
import { EMPTY_TREE_ROOT, hashChildren, hashLeaf } from './merkle-hash.ts';
import {
  consistencyPath,
  inclusionPath,
  nodesNeededBy,
  type NodeReader,
  subtreeHash,
} from './merkle-proof-paths.ts';
import { verifyConsistency, verifyInclusion } from './merkle-proof-verification.ts';

/** RFC 9162 §2.1.1 MTH, written as literally as the RFC states it, to check the fast paths against. */
function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_TREE_ROOT;
  if (leaves.length === 1) return hashLeaf(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** A log of `size` entries held in memory the way the database holds it: leaves plus completed nodes. */
function aLogOf(size: number) {
  const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`{"entry":${i}}`));
  const frontier = emptyFrontier();
  const nodes = new Map<string, Uint8Array>();
  const roots = [frontierRoot(frontier)];
  for (const [index, entry] of entries.entries()) {
    const leaf = hashLeaf(entry);
    nodes.set(`0:${index}`, leaf);
    for (const node of appendLeaf(frontier, leaf)) nodes.set(`${node.level}:${node.position}`, node.hash);
    roots.push(frontierRoot(frontier));
  }
  const read: NodeReader = (level, position) => {
    const hash = nodes.get(`${level}:${position}`);
    assert.ok(hash, `node ${level}:${position} was never completed`);
    return hash;
  };
  return { entries, roots, read };
}

test('the frontier root equals the RFC 9162 definition for every size up to 70', () => {
  const log = aLogOf(70);
  for (let n = 0; n <= 70; n++)
    assert.deepEqual(log.roots[n], referenceRoot(log.entries.slice(0, n)), `size ${n}`);
});

test('inclusion proofs from stored nodes verify for every leaf of every past tree size', () => {
  const log = aLogOf(40);
  for (let n = 1; n <= 40; n++) {
    assert.deepEqual(subtreeHash(log.read, 0, n), log.roots[n]);
    for (let m = 0; m < n; m++) {
      const proof = inclusionPath(log.read, m, n);
      assert.equal(
        verifyInclusion(BigInt(m), BigInt(n), hashLeaf(log.entries[m]!), proof, log.roots[n]!),
        true,
        `leaf ${m} in ${n}`,
      );
      assert.equal(
        verifyInclusion(BigInt(m), BigInt(n), hashLeaf(log.entries[(m + 1) % n]!), proof, log.roots[n]!),
        n === 1,
        `wrong leaf ${m} in ${n}`,
      );
    }
  }
});

test('consistency proofs verify between every pair of sizes and fail against another root', () => {
  const log = aLogOf(40);
  for (let n = 1; n <= 40; n++) {
    for (let m = 1; m <= n; m++) {
      const proof = consistencyPath(log.read, m, n);
      assert.equal(
        verifyConsistency(BigInt(m), BigInt(n), proof, log.roots[m]!, log.roots[n]!),
        true,
        `${m} → ${n}`,
      );
      if (m < n)
        assert.equal(
          verifyConsistency(BigInt(m), BigInt(n), proof, log.roots[m - 1 || 2]!, log.roots[n]!),
          false,
          `forged ${m} → ${n}`,
        );
    }
  }
});

test('a proof needs only O(log n) stored nodes, known before they are read', () => {
  const log = aLogOf(1000);
  const needed = nodesNeededBy((read) => inclusionPath(read, 517, 999));
  assert.ok(needed.length <= 2 * Math.ceil(Math.log2(999)), `${needed.length} nodes`);
  const consistency = nodesNeededBy((read) => consistencyPath(read, 600, 999));
  assert.ok(consistency.length <= 2 * Math.ceil(Math.log2(999)), `${consistency.length} nodes`);
  for (const key of [...needed, ...consistency]) log.read(key.level, key.position);
});
