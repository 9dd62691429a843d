import { EMPTY_TREE_ROOT, HASH_SIZE, hashChildren, sameHash } from './merkle-hash.ts';

/**
 * RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is leaf `leafIndex` of the tree of
 * `treeSize` leaves whose root is `root`? Sizes are bigint so that any uint64 from outside is
 * judged exactly instead of being rounded by a double.
 */
export function verifyInclusion(
  leafIndex: bigint,
  treeSize: bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (leafIndex < 0n || leafIndex >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2: is the tree of `size2` leaves with root `root2` an append-only extension of
 * the tree of `size1` leaves with root `root1`? Equal sizes need identical roots and no proof;
 * size 0 has exactly one root, SHA-256 of nothing.
 */
export function verifyConsistency(
  size1: bigint,
  size2: bigint,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (size1 < 0n || size2 < size1) return false;
  if (size1 === 0n && !sameHash(root1, EMPTY_TREE_ROOT)) return false;
  if (size1 === size2) return proof.length === 0 && sameHash(root1, root2);
  if (!isHash(root2) || !proof.every(isHash)) return false;
  // Every tree extends the empty one; there is nothing to prove.
  if (size1 === 0n) return proof.length === 0;
  if (proof.length === 0 || !isHash(root1)) return false;

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameHash(fr, root1) && sameHash(sr, root2);
}

function isHash(value: Uint8Array): boolean {
  return value.length === HASH_SIZE;
}

function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}
