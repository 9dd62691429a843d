import { Worker } from 'node:worker_threads';
import type { LineBlockStream } from './export-line-blocks.ts';
import { hashBlockLeaves } from './hash-block-leaves.ts';
import type { CombineBlockTask, HashBlockTask, LogRootWorkerReply } from './log-root-worker.ts';
import { EMPTY_TREE_ROOT } from './merkle-hash.ts';
import { SubtreeStack, type SubtreeList } from './subtree-stack.ts';

export interface LogRoots {
  /** Lines read: the number of leaves. */
  entries: number;
  /** The RFC 9162 root of the first `size` leaves, for each requested size that is ≤ entries. */
  roots: Map<number, Uint8Array>;
}

/** Blocks in flight per worker: one being hashed, one queued, one waiting for its position. */
const BLOCKS_PER_WORKER = 3;

/**
 * Hashes every line of the blocks as a leaf of one RFC 9162 tree, in order, and returns the root
 * at each requested size. With `threads` > 1 the blocks are hashed on that many worker threads and
 * only subtree roots come back; the result is the same as hashing leaf by leaf on one thread.
 */
export async function computeLogRoots(
  stream: LineBlockStream,
  sizes: readonly number[],
  options: { threads: number },
): Promise<LogRoots> {
  const wanted = [...new Set(sizes)].filter((size) => size > 0).sort((a, b) => a - b);
  const result =
    options.threads > 1
      ? await hashOnWorkers(stream, wanted, options.threads)
      : await hashOnThisThread(stream, wanted);
  if (sizes.includes(0)) result.roots.set(0, EMPTY_TREE_ROOT);
  return result;
}

async function hashOnThisThread(stream: LineBlockStream, wanted: number[]): Promise<LogRoots> {
  const tree = new SubtreeStack(0);
  const roots = new Map<number, Uint8Array>();
  let next = 0;
  for await (const block of stream.blocks) {
    const leaves = hashBlockLeaves(block);
    stream.recycle(block.bytes.buffer as ArrayBuffer);
    for (const leaf of leaves) {
      tree.pushLeaf(leaf);
      if (tree.next === wanted[next]) {
        roots.set(tree.next, tree.root());
        next += 1;
      }
    }
  }
  return { entries: tree.next, roots };
}

interface CombinedBlock {
  subtrees: SubtreeList;
  prefixes: { size: number; subtrees: SubtreeList }[];
}

/**
 * The main thread only reads and hands out blocks. A block's position in the log is known once
 * every earlier block is counted, so each worker counts a block's leaves first, is then told where
 * they start, and returns that range's subtree roots, which are merged here in order.
 */
async function hashOnWorkers(stream: LineBlockStream, wanted: number[], threads: number): Promise<LogRoots> {
  const workerUrl = new URL(
    import.meta.url.endsWith('.ts') ? './log-root-worker.ts' : './log-root-worker.js',
    import.meta.url,
  );
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl));
  const owner: number[] = [];
  const queued = new Array<number>(threads).fill(0);
  const counts = new Map<number, number>();
  const combined = new Map<number, CombinedBlock>();
  const tree = new SubtreeStack(0);
  const roots = new Map<number, Uint8Array>();
  let positioned = 0;
  let entries = 0;
  let merged = 0;
  let sent = 0;
  let failure: Error | undefined;
  let wake: () => void = () => {};
  const progress = () => new Promise<void>((resolve) => (wake = resolve));

  const place = () => {
    for (let count = counts.get(positioned); count !== undefined; count = counts.get(positioned)) {
      const first = entries;
      entries += count;
      const task: CombineBlockTask = {
        kind: 'combine',
        block: positioned,
        first,
        sizes: wanted.filter((size) => size > first && size <= entries),
      };
      workers[owner[positioned]!]!.postMessage(task);
      counts.delete(positioned);
      positioned += 1;
    }
  };
  const merge = () => {
    for (let block = combined.get(merged); block; block = combined.get(merged)) {
      for (const prefix of block.prefixes) {
        const atSize = tree.clone();
        atSize.pushAll(prefix.subtrees);
        roots.set(prefix.size, atSize.root());
      }
      tree.pushAll(block.subtrees);
      combined.delete(merged);
      queued[owner[merged]!]! -= 1;
      merged += 1;
    }
  };
  workers.forEach((worker) => {
    worker.on('message', (reply: LogRootWorkerReply) => {
      if (reply.kind === 'counted') {
        stream.recycle(reply.memory);
        counts.set(reply.block, reply.count);
        place();
      } else {
        combined.set(reply.block, reply);
        merge();
      }
      wake();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake();
    });
  });

  try {
    for await (const block of stream.blocks) {
      while (!failure && sent - merged >= threads * BLOCKS_PER_WORKER) await progress();
      if (failure) break;
      const target = queued.indexOf(Math.min(...queued));
      const memory = block.bytes.buffer as ArrayBuffer;
      const task: HashBlockTask = { kind: 'hash', block: sent, memory, start: block.start, end: block.end };
      workers[target]!.postMessage(task, [memory]);
      owner[sent] = target;
      queued[target]! += 1;
      sent += 1;
    }
    while (!failure && merged < sent) await progress();
    if (failure) throw failure;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { entries: tree.next, roots };
}
