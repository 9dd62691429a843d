import { hash } from 'node:crypto';
import { EMPTY_TREE_ROOT } from './merkle-hash.ts';

/**
 * A hash as the verifier's hot loop carries it: the 32 digest bytes as a one-byte-per-char
 * (latin1, which Node also calls 'binary') string. `hash(…, 'binary')` returns one three to four
 * times faster than a Buffer (no backing store to allocate), and it is written back into bytes
 * without decoding.
 */
export type LatinHash = string;

/** The stack as plain data, to post between threads: parallel arrays, bottom first. */
export interface SubtreeList {
  levels: number[];
  hashes: LatinHash[];
}

/**
 * The complete aligned subtrees covering leaves [first, next) of an RFC 9162 tree, left to right.
 * Started at 0 it is the tree's right edge (one subtree per set bit of the size, largest first)
 * and folds into the root; started elsewhere it is the range's part of the tree, which pushed in
 * order onto the stack of everything before it gives the same tree as hashing leaf by leaf.
 */
export class SubtreeStack {
  /** Index of the next leaf. */
  next: number;
  readonly levels: number[] = [];
  readonly hashes: LatinHash[] = [];
  // SHA-256 input of an interior node, 0x01 ‖ left ‖ right, reused for every node.
  readonly #node = Buffer.alloc(65, 0x01);

  constructor(first: number) {
    this.next = first;
  }

  /** Appends a leaf hash. */
  pushLeaf(leafHash: LatinHash): void {
    this.push(0, leafHash);
  }

  /** Appends the root of the complete subtree of 2^level leaves starting at `next`, which must be a multiple of 2^level. */
  push(level: number, subtreeRoot: LatinHash): void {
    const { levels, hashes } = this;
    let node = subtreeRoot;
    let height = level;
    let index = this.next / 2 ** level;
    this.next += 2 ** level;
    // A right child merges with its left sibling, which is the top of the stack exactly when the
    // top has the same height (the range may start after the sibling: then the top is lower).
    while (index % 2 === 1 && levels[levels.length - 1] === height) {
      node = this.#children(hashes.pop()!, node);
      levels.pop();
      height += 1;
      index = (index - 1) / 2;
    }
    levels.push(height);
    hashes.push(node);
  }

  /** Appends every subtree of a later range, in order. */
  pushAll(list: SubtreeList): void {
    for (let i = 0; i < list.levels.length; i++) this.push(list.levels[i]!, list.hashes[i]!);
  }

  /** A copy of the stack as plain data, to post to another thread. */
  list(): SubtreeList {
    return { levels: [...this.levels], hashes: [...this.hashes] };
  }

  /** An independent copy, e.g. to take the root at a size inside a range without disturbing this one. */
  clone(): SubtreeStack {
    const copy = new SubtreeStack(this.next);
    copy.levels.push(...this.levels);
    copy.hashes.push(...this.hashes);
    return copy;
  }

  /** MTH of leaves [0, next): the subtrees folded from the right (RFC 9162 §2.1.1). Only meaningful when started at 0. */
  root(): Uint8Array {
    const { hashes } = this;
    if (hashes.length === 0) return EMPTY_TREE_ROOT;
    let root = hashes[hashes.length - 1]!;
    for (let i = hashes.length - 2; i >= 0; i--) root = this.#children(hashes[i]!, root);
    return Buffer.from(root, 'latin1');
  }

  /** SHA-256(0x01 ‖ left ‖ right), assembled in the scratch buffer: no allocation but the result. */
  #children(left: LatinHash, right: LatinHash): LatinHash {
    const node = this.#node;
    node.write(left, 1, 'latin1');
    node.write(right, 33, 'latin1');
    return hash('sha256', node, 'binary');
  }
}
