import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CHUNK_LEAVES, type ChunkEdge, type EntryLayout, hashLogChunk } from './log-chunk-hasher.ts';
import type { ChunkResult, ChunkTask } from './log-chunk-worker.ts';
import { EMPTY_TREE_ROOT, hashChildren } from './merkle-hash.ts';

/** Below this many leaves, starting threads costs more than it saves. */
const PARALLEL_THRESHOLD = 4 * CHUNK_LEAVES;

/**
 * The RFC 9162 root of the first `size` entries for each requested size. Large logs are hashed
 * in aligned chunks on worker threads (shared memory, no copies) and combined here; the result is
 * the same as hashing leaf by leaf.
 */
export async function computeLogRoots(layout: EntryLayout, leafCount: number, sizes: readonly number[], options: { threads?: number } = {}): Promise<Map<number, Uint8Array>> {
  const chunks = Math.ceil(leafCount / CHUNK_LEAVES);
  const tasks: ChunkTask[] = Array.from({ length: chunks }, (_, chunk) => {
    const first = chunk * CHUNK_LEAVES;
    const count = Math.min(CHUNK_LEAVES, leafCount - first);
    return { chunk, first, count, prefixSizes: sizes.filter((s) => s > first && s <= first + count).map((s) => s - first) };
  });
  const threads = Math.min(options.threads ?? availableParallelism(), chunks);
  const edges = threads > 1 && leafCount >= PARALLEL_THRESHOLD && layout.bytes.buffer instanceof SharedArrayBuffer ? await hashOnWorkers(layout, tasks, threads) : hashHere(layout, tasks);
  return combineChunks(edges, sizes);
}

function hashHere(layout: EntryLayout, tasks: ChunkTask[]): ChunkEdge[][] {
  return tasks.map((task) => hashLogChunk(layout, task.first, task.count, task.prefixSizes));
}

async function hashOnWorkers(layout: EntryLayout, tasks: ChunkTask[], threads: number): Promise<ChunkEdge[][]> {
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './log-chunk-worker.ts' : './log-chunk-worker.js', import.meta.url);
  const results: ChunkEdge[][] = new Array(tasks.length);
  const queue = [...tasks];
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl, { workerData: { bytes: layout.bytes.buffer, starts: layout.starts.buffer } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const task = queue.shift();
              if (task) worker.postMessage(task);
              else resolve();
            };
            worker.on('message', (result: ChunkResult) => {
              results[result.chunk] = result.edges;
              next();
            });
            worker.on('error', reject);
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
