import { hash } from 'node:crypto';
import type { LineBlock } from './export-line-blocks.ts';
import type { LatinHash } from './subtree-stack.ts';

/**
 * MTH({d}) = SHA-256(0x00 ‖ d) for every line of a block, from the exact exported bytes. The hot
 * loop of verification: each leaf is hashed in place — the byte before an entry (the previous
 * line's newline, already passed, or the block's spare byte) is overwritten with the 0x00 prefix —
 * so no input is copied, and digests come back as latin1 strings, not Buffers.
 */
export function hashBlockLeaves(block: LineBlock): LatinHash[] {
  const { bytes, end } = block;
  const leaves: LatinHash[] = [];
  for (let at = block.start; at < end;) {
    const newline = bytes.indexOf(0x0a, at);
    bytes[at - 1] = 0x00;
    leaves.push(hash('sha256', bytes.subarray(at - 1, newline), 'binary'));
    at = newline + 1;
  }
  return leaves;
}
