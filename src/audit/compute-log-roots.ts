import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CHUNK_LEAVES, type ChunkEdge, type EntryLayout, hashLogChunk } from './log-chunk-hasher.ts';
import type { ChunkResult, ChunkTask } from './log-chunk-worker.ts';
import { EMPTY_TREE_ROOT, hashChildren } from './merkle-hash.ts';

/** Below this many leaves, starting threads costs more than it saves. */
const PARALLEL_THRESHOLD = 4 * CHUNK_LEAVES;

/**
 * The RFC 9162 root of the first `size` entries for each requested size. Large logs are hashed
 * in aligned chunks on worker threads and combined here; the result is
 * the same as hashing leaf by leaf.
 */
export async function computeLogRoots(
  layout: EntryLayout,
  leafCount: number,
  sizes: readonly number[],
  options: { threads?: number } = {},
): Promise<Map<number, Uint8Array>> {
  const chunks: ChunkPlan[] = Array.from({ length: Math.ceil(leafCount / CHUNK_LEAVES) }, (_, chunk) => {
    const first = chunk * CHUNK_LEAVES;
    const count = Math.min(CHUNK_LEAVES, leafCount - first);
    return {
      chunk,
      first,
      count,
      prefixSizes: sizes.filter((s) => s > first && s <= first + count).map((s) => s - first),
    };
  });
  const threads = Math.min(options.threads ?? availableParallelism(), chunks.length);
  const edges =
    threads > 1 && leafCount >= PARALLEL_THRESHOLD
      ? await hashOnWorkers(layout, chunks, threads)
      : hashHere(layout, chunks);
  return combineChunks(edges, sizes);
}

interface ChunkPlan {
  chunk: number;
  first: number;
  count: number;
  prefixSizes: number[];
}

function hashHere(layout: EntryLayout, chunks: ChunkPlan[]): ChunkEdge[][] {
  return chunks.map((plan) => hashLogChunk(layout, plan.first, plan.count, plan.prefixSizes));
}

/** The chunk's bytes (from the separator before its first entry) and entry starts, copied for transfer to a worker. */
function taskFor(layout: EntryLayout, plan: ChunkPlan): ChunkTask {
  const from = layout.starts[plan.first]! - 1;
  const to = layout.starts[plan.first + plan.count]! - 1;
  // A copy (TypedArray slice; Buffer's slice would be a view): transferring a view would detach the whole export.
  const bytes = Uint8Array.prototype.slice.call(layout.bytes, from, to);
  const starts = layout.starts.slice(plan.first, plan.first + plan.count + 1);
  for (let i = 0; i < starts.length; i++) starts[i] = starts[i]! - from;
  return { chunk: plan.chunk, bytes, starts, count: plan.count, prefixSizes: plan.prefixSizes };
}

async function hashOnWorkers(
  layout: EntryLayout,
  chunks: ChunkPlan[],
  threads: number,
): Promise<ChunkEdge[][]> {
  const workerUrl = new URL(
    import.meta.url.endsWith('.ts') ? './log-chunk-worker.ts' : './log-chunk-worker.js',
    import.meta.url,
  );
  const results: ChunkEdge[][] = new Array(chunks.length);
  const queue = [...chunks];
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            // Two chunks in flight per worker, so it never waits for the next copy; memory stays bounded.
            let inFlight = 0;
            const next = () => {
              const plan = queue.shift();
              if (!plan) {
                if (inFlight === 0) resolve();
                return;
              }
              const task = taskFor(layout, plan);
              inFlight += 1;
              worker.postMessage(task, [task.bytes.buffer as ArrayBuffer, task.starts.buffer as ArrayBuffer]);
            };
            worker.on('message', (result: ChunkResult) => {
              results[result.chunk] = result.edges;
              inFlight -= 1;
              next();
            });
            worker.on('error', reject);
            next();
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/** Folds chunk edges into roots: every chunk but the last is a complete subtree of CHUNK_LEAVES leaves. */
function combineChunks(chunkEdges: ChunkEdge[][], sizes: readonly number[]): Map<number, Uint8Array> {
  const roots = new Map<number, Uint8Array>();
  if (sizes.includes(0)) roots.set(0, EMPTY_TREE_ROOT);
  const wanted = new Set(sizes);
  const frontier: Uint8Array[] = [];
  chunkEdges.forEach((edges, chunk) => {
    for (const edge of edges) {
      const size = chunk * CHUNK_LEAVES + edge.size;
      if (wanted.has(size)) roots.set(size, foldRight([...frontier, ...edge.hashes]));
    }
    const last = edges[edges.length - 1];
    if (last?.size !== CHUNK_LEAVES) return;
    let node = last.hashes[0]!;
    for (let rest = chunk; rest % 2 === 1; rest = (rest - 1) / 2) node = hashChildren(frontier.pop()!, node);
    frontier.push(node);
  });
  return roots;
}

function foldRight(hashes: Uint8Array[]): Uint8Array {
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i]!, root);
  return root;
}
