import { Worker } from 'node:worker_threads';
import type { TableRules } from '../core/masking-rules.ts';
import type { RowMasker } from '../core/row-masker.ts';
import type { CatalogColumn } from '../core/source-catalog.ts';
import type { MaskWorkerMessage, MaskWorkerReply, MaskWorkerSettings, ProfileStates } from './mask-worker.ts';

/** Batches in flight per worker: one being masked, one queued behind it, so no thread waits for the reader. */
const BATCHES_PER_WORKER = 2;

interface PendingJob {
  worker: number;
  resolve(result: { memory: ArrayBuffer; rows: number }): void;
  reject(error: Error): void;
}

/**
 * Worker threads that mask COPY text for one run: the copy of a large table hands its batches of
 * whole lines out to them and writes the results back in the order read, with a bounded number in
 * flight (memory stays flat, and the writer's backpressure reaches the reader). Every worker
 * derives outputs from the same key and settings as the main thread, so the copy is the same
 * line for line as one masked on a single thread, and the profiles merge into the same report.
 */
export class MaskWorkerPool {
  readonly #workers: Worker[];
  readonly #load: number[];
  readonly #jobs = new Map<number, PendingJob>();
  readonly #profiles = new Map<number, { states: ProfileStates[]; done(): void }>();
  #nextJob = 0;
  #nextTask = 0;
  #failure: Error | undefined;

  constructor(threads: number, settings: MaskWorkerSettings) {
    const url = new URL(
      import.meta.url.endsWith('.ts') ? './mask-worker.ts' : './mask-worker.js',
      import.meta.url,
    );
    this.#load = new Array<number>(threads).fill(0);
    this.#workers = Array.from({ length: threads }, (_, index) => {
      const worker = new Worker(url, { workerData: settings });
      worker.on('message', (reply: MaskWorkerReply) => this.#receive(index, reply));
      worker.on('error', (error) => this.#fail(error));
      worker.on('exit', (code) => this.#fail(new Error(`A masking thread stopped (exit code ${code}).`)));
      return worker;
    });
  }

  get threads(): number {
    return this.#workers.length;
  }

  /**
   * Masks a table's batches of whole COPY lines on the workers, yielding the masked batches in
   * input order; when the input ends, the workers' profiles are merged into `masker` (the main
   * thread's masker of the same table, which masked nothing itself).
   */
  async *maskTable(
    masker: RowMasker,
    table: { columns: CatalogColumn[]; rules: TableRules; unique: string[] },
    batches: AsyncIterable<Uint8Array>,
    counter: { rows: number },
  ): AsyncIterable<Buffer> {
    const task = this.#nextTask++;
    this.#broadcast({ kind: 'table', task, ...table });
    const inFlight: Promise<{ memory: ArrayBuffer; rows: number }>[] = [];
    const limit = this.#workers.length * BATCHES_PER_WORKER;
    try {
      for await (const batch of batches) {
        if (inFlight.length >= limit) yield this.#count(await inFlight.shift()!, counter);
        inFlight.push(this.#submit(task, batch));
      }
      while (inFlight.length) yield this.#count(await inFlight.shift()!, counter);
      for (const states of await this.#endTable(task)) masker.mergeProfileStates(states);
    } finally {
      // Stopped early (an error, a cancel): results still in flight are dropped, unawaited rejections too.
      for (const pending of inFlight) pending.catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.#failure ??= new Error('The masking threads were closed.');
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #count(result: { memory: ArrayBuffer; rows: number }, counter: { rows: number }): Buffer {
    counter.rows += result.rows;
    return Buffer.from(result.memory);
  }

  #submit(task: number, batch: Uint8Array): Promise<{ memory: ArrayBuffer; rows: number }> {
    if (this.#failure) return Promise.reject(this.#failure);
    // A copy of its own to transfer: the batch may be a view into a larger or pooled buffer.
    const memory = new Uint8Array(batch).buffer;
    const worker = this.#load.indexOf(Math.min(...this.#load));
    const job = this.#nextJob++;
    this.#load[worker]! += 1;
    return new Promise((resolve, reject) => {
      this.#jobs.set(job, { worker, resolve, reject });
      this.#send(worker, { kind: 'batch', task, job, memory }, [memory]);
    });
  }

  #endTable(task: number): Promise<ProfileStates[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const states: ProfileStates[] = [];
      this.#profiles.set(task, {
        states,
        done: () => (this.#failure ? reject(this.#failure) : resolve(states)),
      });
      this.#broadcast({ kind: 'end', task });
    });
  }

  #receive(worker: number, reply: MaskWorkerReply): void {
    if (reply.kind === 'profiles') {
      const waiting = this.#profiles.get(reply.task);
      if (!waiting) return;
      waiting.states.push(reply.states);
      if (waiting.states.length === this.#workers.length) {
        this.#profiles.delete(reply.task);
        waiting.done();
      }
      return;
    }
    const job = reply.job === undefined ? undefined : this.#jobs.get(reply.job);
    if (reply.kind === 'failed') {
      if (!job) return this.#fail(new Error(reply.message));
      this.#jobs.delete(reply.job!);
      this.#load[worker]! -= 1;
      return job.reject(new Error(reply.message));
    }
    if (!job) return;
    this.#jobs.delete(reply.job);
    this.#load[worker]! -= 1;
    job.resolve({ memory: reply.memory, rows: reply.rows });
  }

  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    for (const job of this.#jobs.values()) job.reject(error);
    this.#jobs.clear();
    for (const waiting of this.#profiles.values()) waiting.done();
    this.#profiles.clear();
  }

  #broadcast(message: MaskWorkerMessage): void {
    this.#workers.forEach((_, index) => this.#send(index, message));
  }

  #send(worker: number, message: MaskWorkerMessage, transfer: ArrayBuffer[] = []): void {
    this.#workers[worker]!.postMessage(message, transfer);
  }
}
