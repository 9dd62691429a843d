import { parentPort } from 'node:worker_threads';
import { hashBlockLeaves } from './hash-block-leaves.ts';
import { type LatinHash, SubtreeStack, type SubtreeList } from './subtree-stack.ts';

/** A block of whole lines to hash (src/audit/export-line-blocks.ts); its memory is transferred, not copied, and comes back with the count. */
export interface HashBlockTask {
  kind: 'hash';
  block: number;
  memory: ArrayBuffer;
  start: number;
  end: number;
}

/** Where the block's leaves sit in the log, known once every earlier block is counted. */
export interface CombineBlockTask {
  kind: 'combine';
  block: number;
  first: number;
  /** Sizes in (first, first + count] whose roots are wanted. */
  sizes: number[];
}

export type LogRootWorkerReply =
  | { kind: 'counted'; block: number; count: number; memory: ArrayBuffer }
  | {
      kind: 'combined';
      block: number;
      subtrees: SubtreeList;
      prefixes: { size: number; subtrees: SubtreeList }[];
    };

/**
 * Hashes a block's leaves as soon as it arrives and says how many there are; when told where they
 * start, hashes them into the complete aligned subtrees of that range and returns only those
 * roots (O(log n) per block). Leaf hashes never leave the worker.
 */
const leavesByBlock = new Map<number, LatinHash[]>();

parentPort!.on('message', (task: HashBlockTask | CombineBlockTask) => {
  if (task.kind === 'hash') {
    const leaves = hashBlockLeaves({ bytes: Buffer.from(task.memory), start: task.start, end: task.end });
    leavesByBlock.set(task.block, leaves);
    parentPort!.postMessage(
      {
        kind: 'counted',
        block: task.block,
        count: leaves.length,
        memory: task.memory,
      } satisfies LogRootWorkerReply,
      [task.memory],
    );
    return;
  }
  const leaves = leavesByBlock.get(task.block)!;
  leavesByBlock.delete(task.block);
  const stack = new SubtreeStack(task.first);
  const prefixes: { size: number; subtrees: SubtreeList }[] = [];
  let wanted = 0;
  for (const leaf of leaves) {
    stack.pushLeaf(leaf);
    if (stack.next === task.sizes[wanted]) {
      prefixes.push({ size: stack.next, subtrees: stack.list() });
      wanted += 1;
    }
  }
  parentPort!.postMessage({
    kind: 'combined',
    block: task.block,
    subtrees: stack.list(),
    prefixes,
  } satisfies LogRootWorkerReply);
});
