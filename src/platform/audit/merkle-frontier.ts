import { EMPTY_TREE_ROOT, HASH_SIZE, hashChildren } from './merkle-hash.ts';

/**
 * The right edge of a Merkle tree: the roots of its complete subtrees, largest first (one per set
 * bit of the size). It is all the state needed to append a leaf or compute the root, so the
 * integrator never reads old leaves.
 */
export interface MerkleFrontier {
  size: number;
  hashes: Uint8Array[];
}

/** A complete subtree that became final when a leaf was appended: covers leaves [position·2^level, (position+1)·2^level). */
export interface CompletedNode {
  level: number;
  position: number;
  hash: Uint8Array;
}

export function emptyFrontier(): MerkleFrontier {
  return { size: 0, hashes: [] };
}

/**
 * Appends a leaf hash in place. Returns the subtrees the leaf completed (levels ≥ 1), which the
 * store keeps so that any later proof needs only O(log n) reads.
 */
export function appendLeaf(frontier: MerkleFrontier, leafHash: Uint8Array): CompletedNode[] {
  const completed: CompletedNode[] = [];
  let node = leafHash;
  let level = 0;
  let position = frontier.size;
  // Each trailing 1 bit of the old size is a complete subtree of that height waiting for a right sibling.
  for (let rest = frontier.size; rest % 2 === 1; rest = (rest - 1) / 2) {
    node = hashChildren(frontier.hashes.pop()!, node);
    level += 1;
    position = Math.floor(position / 2);
    completed.push({ level, position, hash: node });
  }
  frontier.hashes.push(node);
  frontier.size += 1;
  return completed;
}

/** MTH of the whole tree: fold the frontier from the right (RFC 9162 §2.1.1). */
export function frontierRoot(frontier: MerkleFrontier): Uint8Array {
  const { hashes } = frontier;
  if (hashes.length === 0) return EMPTY_TREE_ROOT;
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i]!, root);
  return root;
}

/** Frontier hashes concatenated, as stored in `audit_tree_state.frontier`. */
export function encodeFrontier(frontier: MerkleFrontier): Uint8Array {
  const bytes = new Uint8Array(frontier.hashes.length * HASH_SIZE);
  frontier.hashes.forEach((h, i) => bytes.set(h, i * HASH_SIZE));
  return bytes;
}

export function decodeFrontier(size: number, bytes: Uint8Array): MerkleFrontier {
  const hashes: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += HASH_SIZE)
    hashes.push(bytes.slice(offset, offset + HASH_SIZE));
  return { size, hashes };
}
