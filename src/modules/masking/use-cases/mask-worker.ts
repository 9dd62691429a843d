import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnProfileState } from '../core/column-profile.ts';
import { createKeyedDigest } from '../core/keyed-digest.ts';
import type { TableRules } from '../core/masking-rules.ts';
import { RowMasker } from '../core/row-masker.ts';
import type { CatalogColumn } from '../core/source-catalog.ts';
import type { MaskMemo } from '../core/transformer-registry.ts';

/** What every worker of a run is started with: the run's masking settings (the key stays in memory). */
export interface MaskWorkerSettings {
  key: Uint8Array;
  locale: string;
  defaultCountry: string;
}

/** A table being masked: its columns and rules, sent to every worker before its first batch. */
export interface MaskTableMessage {
  kind: 'table';
  task: number;
  columns: CatalogColumn[];
  rules: TableRules;
  unique: string[];
}

/** Whole lines of COPY text to mask; the memory is transferred, not copied. */
export interface MaskBatchMessage {
  kind: 'batch';
  task: number;
  job: number;
  memory: ArrayBuffer;
}

/** The table is read: send its profiles and forget it. */
export interface MaskTableEndMessage {
  kind: 'end';
  task: number;
}

export type MaskWorkerMessage = MaskTableMessage | MaskBatchMessage | MaskTableEndMessage;

export type ProfileStates = { source: ColumnProfileState; copy: ColumnProfileState }[];

export type MaskWorkerReply =
  | { kind: 'masked'; job: number; memory: ArrayBuffer; rows: number }
  | { kind: 'profiles'; task: number; states: ProfileStates }
  | { kind: 'failed'; job?: number; message: string };

/**
 * A masking thread: masks batches of COPY lines with the same transformers, key and settings as
 * the main thread (outputs are pure functions of key and value, so which thread masks a line does
 * not matter), profiling the values per table until the table ends.
 */
const settings = workerData as MaskWorkerSettings;
const tools = {
  digest: createKeyedDigest(Buffer.from(settings.key)),
  locale: settings.locale,
  defaultCountry: settings.defaultCountry,
};
// Masked values remembered across the tables this thread sees, as the main thread does for its own.
const memos: MaskMemo = new Map();
const maskers = new Map<number, RowMasker>();
const encoder = new TextEncoder();

parentPort!.on('message', (message: MaskWorkerMessage) => {
  try {
    if (message.kind === 'table') {
      maskers.set(
        message.task,
        new RowMasker(message.columns, message.rules, tools, new Set(message.unique), memos),
      );
    } else if (message.kind === 'batch') {
      const masker = maskers.get(message.task)!;
      const { text, rows } = masker.maskCopyText(Buffer.from(message.memory).toString('utf8'));
      const memory = encoder.encode(text).buffer as ArrayBuffer;
      parentPort!.postMessage({ kind: 'masked', job: message.job, memory, rows } satisfies MaskWorkerReply, [
        memory,
      ]);
    } else {
      const masker = maskers.get(message.task);
      maskers.delete(message.task);
      parentPort!.postMessage({
        kind: 'profiles',
        task: message.task,
        states: masker?.profileStates() ?? [],
      } satisfies MaskWorkerReply);
    }
  } catch (error) {
    parentPort!.postMessage({
      kind: 'failed',
      job: message.kind === 'batch' ? message.job : undefined,
      message: error instanceof Error ? error.message : String(error),
    } satisfies MaskWorkerReply);
  }
});
