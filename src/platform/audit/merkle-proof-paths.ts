import { hashChildren } from './merkle-hash.ts';

/**
 * Reads the hash of the complete subtree at (level, position): level 0 is a leaf hash, level L
 * covers leaves [position·2^L, (position+1)·2^L). Complete subtrees never change once written,
 * so proofs for any past tree size need only these.
 */
export type NodeReader = (level: number, position: number) => Uint8Array;

/** A node a proof needs, named so a store can fetch them all in one query. */
export interface NodeKey {
  level: number;
  position: number;
}

/** MTH(D[start : start+size]) built from stored complete subtrees. */
export function subtreeHash(read: NodeReader, start: number, size: number): Uint8Array {
  if (isPowerOfTwo(size) && start % size === 0) return read(Math.log2(size), start / size);
  const k = largestPowerOfTwoBelow(size);
  return hashChildren(subtreeHash(read, start, k), subtreeHash(read, start + k, size - k));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): audit path of leaf m in the tree of the first n leaves, leaf side first. */
export function inclusionPath(read: NodeReader, m: number, n: number, start = 0): Uint8Array[] {
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...inclusionPath(read, m, k, start), subtreeHash(read, start + k, n - k)];
  return [...inclusionPath(read, m - k, n - k, start + k), subtreeHash(read, start, k)];
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) for 0 < m < n; empty when m = n. */
export function consistencyPath(read: NodeReader, m: number, n: number): Uint8Array[] {
  if (m === 0 || m === n) return [];
  return subproof(read, m, n, true, 0);
}

function subproof(read: NodeReader, m: number, n: number, startsTree: boolean, start: number): Uint8Array[] {
  if (m === n) return startsTree ? [] : [subtreeHash(read, start, n)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...subproof(read, m, k, startsTree, start), subtreeHash(read, start + k, n - k)];
  return [...subproof(read, m - k, n - k, false, start + k), subtreeHash(read, start, k)];
}

/**
 * Runs a proof computation once against a recording reader to learn which nodes it needs, so a
 * store can fetch them in one round trip and run it again for real.
 */
export function nodesNeededBy(compute: (read: NodeReader) => unknown): NodeKey[] {
  const needed = new Map<string, NodeKey>();
  const placeholder = new Uint8Array(32);
  compute((level, position) => {
    needed.set(`${level}:${position}`, { level, position });
    return placeholder;
  });
  return [...needed.values()];
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** The largest power of two strictly below n (n ≥ 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
