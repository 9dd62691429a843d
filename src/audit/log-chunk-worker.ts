import { parentPort, workerData } from 'node:worker_threads';
import { type ChunkEdge, hashLogChunk } from './log-chunk-hasher.ts';

/** Worker side of computeLogRoots: hashes the chunks it is sent over the shared export bytes. */
export interface ChunkTask {
  chunk: number;
  first: number;
  count: number;
  prefixSizes: number[];
}

export interface ChunkResult {
  chunk: number;
  edges: ChunkEdge[];
}

const shared = workerData as { bytes: SharedArrayBuffer; starts: SharedArrayBuffer };
const layout = { bytes: new Uint8Array(shared.bytes), starts: new Float64Array(shared.starts) };

parentPort!.on('message', (task: ChunkTask) => {
  const result: ChunkResult = { chunk: task.chunk, edges: hashLogChunk(layout, task.first, task.count, task.prefixSizes) };
  parentPort!.postMessage(result);
});
