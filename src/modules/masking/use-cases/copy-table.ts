import { Cancelled } from './cancelled.ts';
import type { TableRules } from '../core/masking-rules.ts';
import { RowMasker, type Cell } from '../core/row-masker.ts';
import type { MaskMemo } from '../core/transformer-registry.ts';
import { uniqueColumns, writableColumns, type CatalogTable } from '../core/source-catalog.ts';
import type { TransformerTools } from '../core/transformer.ts';
import { wholeLineBatches } from '../sql/copy-text-rows.ts';
import type { CopyWriter, DatabaseReader } from '../sql/masking-database.ts';
import type { MaskWorkerPool } from './mask-worker-pool.ts';
import type { TableProgress } from '../core/masking-run-types.ts';

export interface CopyTableInput {
  reader: DatabaseReader;
  writer: CopyWriter;
  table: CatalogTable;
  rules: TableRules;
  tools: Omit<TransformerTools, 'transformerFor'>;
  /** The subset's row filter and pushed-down condition, if the table is subsetted. */
  filter?: (cells: readonly Cell[]) => boolean;
  condition?: string;
  signal: AbortSignal;
  onRows?(rows: number): void;
  /** Masked values shared across the run's tables. */
  memos?: MaskMemo;
  /** Threads to mask this table's COPY text on (a large table); without, it is masked on this thread. */
  workers?: MaskWorkerPool;
}

/**
 * Streams one table from source to copy: batches read, filtered to the subset, masked column by
 * column (profiled on the way) and written, with the reader's and writer's backpressure keeping
 * memory flat. Returns the rows written and the masked columns' profiles.
 */
export async function copyTable(
  input: CopyTableInput,
): Promise<{ rows: number; profiles: TableProgress['profiles'] }> {
  const columns = writableColumns(input.table);
  const names = columns.map((column) => column.name);
  const unique = uniqueColumns(input.table);
  const masker = new RowMasker(columns, input.rules, input.tools, unique, input.memos);
  const { filter, signal, onRows } = input;
  // Both ends speak COPY and no row needs a decision here: lines pass as text, only masked fields are touched.
  if (!filter && input.reader.streamCopyText && input.writer.writeCopyText) {
    const chunks = input.reader.streamCopyText(input.table, names, { signal, condition: input.condition });
    const counter = { rows: 0 };
    const written = async function* (): AsyncIterable<Buffer> {
      if (!masker.masks) return yield* chunks; // unparsed: not even cut into lines
      const batches = wholeLineBatches(chunks);
      const masked = input.workers
        ? input.workers.maskTable(
            masker,
            { columns, rules: input.rules, unique: [...unique] },
            batches,
            counter,
          )
        : maskHere(masker, batches, counter);
      for await (const chunk of masked) {
        if (signal.aborted) throw new Cancelled();
        onRows?.(counter.rows);
        yield chunk;
      }
    };
    const rows = await input.writer.writeCopyText(input.table, names, written());
    if (signal.aborted) throw new Cancelled();
    onRows?.(rows);
    return { rows, profiles: profilesOf(masker) };
  }
  async function* masked(): AsyncIterable<Cell[][]> {
    let seen = 0;
    for await (const batch of input.reader.streamRows(input.table, names, {
      signal,
      condition: input.condition,
    })) {
      if (signal.aborted) throw new Cancelled();
      const kept = filter ? batch.filter(filter) : batch;
      if (masker.masks) for (const row of kept) masker.maskRow(row);
      seen += kept.length;
      onRows?.(seen);
      yield kept;
    }
  }
  const rows = await input.writer.writeRows(input.table, names, masked());
  if (signal.aborted) throw new Cancelled();
  return { rows, profiles: profilesOf(masker) };
}

/** Masks batches of whole COPY lines on this thread. */
async function* maskHere(
  masker: RowMasker,
  batches: AsyncIterable<Buffer>,
  counter: { rows: number },
): AsyncIterable<Buffer> {
  for await (const batch of batches) {
    const { text, rows } = masker.maskCopyText(batch.toString('utf8'));
    counter.rows += rows;
    yield Buffer.from(text, 'utf8');
  }
}

function profilesOf(masker: RowMasker): TableProgress['profiles'] {
  return masker.profiles.map((profile) => ({
    column: profile.column,
    transformer: profile.transformer,
    source: profile.source.summary(),
    copy: profile.copy.summary(),
  }));
}
