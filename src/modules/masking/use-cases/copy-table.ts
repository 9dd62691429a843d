import { Cancelled } from './cancelled.ts';
import type { TableRules } from '../core/masking-rules.ts';
import { RowMasker, type Cell } from '../core/row-masker.ts';
import type { MaskMemo } from '../core/transformer-registry.ts';
import { uniqueColumns, writableColumns, type CatalogTable } from '../core/source-catalog.ts';
import type { TransformerTools } from '../core/transformer.ts';
import type { CopyWriter, DatabaseReader } from '../sql/masking-database.ts';
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
  const masker = new RowMasker(columns, input.rules, input.tools, uniqueColumns(input.table), input.memos);
  // Nothing to mask or filter, and both ends speak COPY: the bytes pass through unparsed.
  if (
    !masker.masks &&
    !input.filter &&
    !input.condition &&
    input.reader.streamCopyText &&
    input.writer.writeCopyText
  ) {
    const rows = await input.writer.writeCopyText(
      input.table,
      names,
      input.reader.streamCopyText(input.table, names, input.signal),
    );
    if (input.signal.aborted) throw new Cancelled();
    input.onRows?.(rows);
    return { rows, profiles: [] };
  }
  const { filter, signal, onRows } = input;
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
  return {
    rows,
    profiles: masker.profiles.map((profile) => ({
      column: profile.column,
      transformer: profile.transformer,
      source: profile.source.summary(),
      copy: profile.copy.summary(),
    })),
  };
}
