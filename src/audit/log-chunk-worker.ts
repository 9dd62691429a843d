import { parentPort } from 'node:worker_threads';
import { type ChunkEdge, hashLogChunk } from './log-chunk-hasher.ts';

/** One chunk of an export, with its own copy of the bytes (transferred, not shared: hashing from shared memory is slower). */
export interface ChunkTask {
  chunk: number;
  bytes: Uint8Array;
  /** Entry starts relative to `bytes`, count + 1 of them. */
  starts: Float64Array;
  count: number;
  prefixSizes: number[];
}

export interface ChunkResult {
  chunk: number;
  edges: ChunkEdge[];
}

parentPort!.on('message', (task: ChunkTask) => {
  const result: ChunkResult = {
    chunk: task.chunk,
    edges: hashLogChunk({ bytes: task.bytes, starts: task.starts }, 0, task.count, task.prefixSizes),
  };
  parentPort!.postMessage(result);
});
