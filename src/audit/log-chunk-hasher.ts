import { hash } from 'node:crypto';
import { hashChildren } from './merkle-hash.ts';

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
 * size and at its end. The byte before every entry is its predecessor's newline separator (or
 * the header's): it is overwritten with the RFC 9162 leaf prefix 0x00 so each leaf is hashed in
 * place, without copying the entry, and put back afterwards.
 */
export function hashLogChunk(layout: EntryLayout, first: number, count: number, prefixSizes: readonly number[]): ChunkEdge[] {
  const { bytes, starts } = layout;
  const wanted = new Set(prefixSizes);
  const edges: ChunkEdge[] = [];
  const stack: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = starts[first + i]!;
    const end = starts[first + i + 1]! - 1;
    const separator = bytes[start - 1]!;
    bytes[start - 1] = 0x00;
    let node: Uint8Array = hash('sha256', bytes.subarray(start - 1, end), 'buffer');
    bytes[start - 1] = separator;
    for (let rest = i; rest % 2 === 1; rest = (rest - 1) / 2) node = hashChildren(stack.pop()!, node);
    stack.push(node);
    if (wanted.has(i + 1) || i + 1 === count) edges.push({ size: i + 1, hashes: [...stack] });
  }
  return edges;
}
