import { hash } from 'node:crypto';
import { HASH_SIZE } from './merkle-hash.ts';

/** Leaves per chunk: chunks are complete aligned subtrees, so their roots combine like leaves. */
export const CHUNK_LEAVES = 1 << 16;

/** Where the entries of an export are: entry i is bytes [starts[i], starts[i+1] - 1) — the −1 drops its newline. */
export interface EntryLayout {
  bytes: Uint8Array;
  starts: Float64Array;
}

/** The right edge of one chunk's subtree after its first `size` leaves (roots of complete subtrees, largest first). */
export interface ChunkEdge {
  size: number;
  hashes: Uint8Array[];
}

/**
 * Hashes leaves [first, first + count) and returns the chunk's edge after each requested prefix
 * size and at its end. This is the verifier's hot loop, so it avoids allocation: the byte before
 * every entry (its predecessor's newline, or the header's) is overwritten with the RFC 9162 leaf
 * prefix 0x00 so each leaf is hashed in place and put back afterwards, and node inputs are
 * assembled in one scratch buffer.
 */
export function hashLogChunk(
  layout: EntryLayout,
  first: number,
  count: number,
  prefixSizes: readonly number[],
): ChunkEdge[] {
  const { bytes, starts } = layout;
  const snapshots = [...prefixSizes].sort((a, b) => a - b);
  let nextSnapshot = 0;
  const edges: ChunkEdge[] = [];
  const stack: Uint8Array[] = [];
  const node = new Uint8Array(1 + 2 * HASH_SIZE);
  node[0] = 0x01;
  for (let i = 0; i < count; i++) {
    const start = starts[first + i]!;
    const separator = bytes[start - 1]!;
    bytes[start - 1] = 0x00;
    let top: Uint8Array = hash('sha256', bytes.subarray(start - 1, starts[first + i + 1]! - 1), 'buffer');
    bytes[start - 1] = separator;
    for (let rest = i; rest % 2 === 1; rest = (rest - 1) / 2) {
      node.set(stack.pop()!, 1);
      node.set(top, 1 + HASH_SIZE);
      top = hash('sha256', node, 'buffer');
    }
    stack.push(top);
    while (snapshots[nextSnapshot] !== undefined && snapshots[nextSnapshot]! < i + 1) nextSnapshot++;
    if (snapshots[nextSnapshot] === i + 1 || i + 1 === count) edges.push({ size: i + 1, hashes: [...stack] });
  }
  return edges;
}
