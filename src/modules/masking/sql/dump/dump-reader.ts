import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import { decodeCopyValue, splitCopyLine } from '../../core/copy-text-codec.ts';
import type { Cell } from '../../core/row-masker.ts';
import type { CatalogTable, SourceCatalog } from '../../core/source-catalog.ts';
import type { KeyRow } from '../../core/subset-state.ts';
import { tupleOf } from '../../core/subset-state.ts';
import type { DatabaseReader, SchemaScript } from '../masking-database.ts';
import { qualifiedPg } from '../postgres/postgres-identifiers.ts';

/**
 * Reads the rows of a dump file's COPY blocks, so the leak check can look at a dump as it looks
 * at a database (streamed line by line; only the sample is kept).
 */
export class DumpReader implements DatabaseReader {
  readonly kind = 'postgres' as const;
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  async readCatalog(): Promise<{ catalog: SourceCatalog; schema: SchemaScript }> {
    throw new InvalidInput(
      'masking.dump_has_no_catalog',
      'A dump file is read for its rows only; load it into PostgreSQL to inspect its schema.',
    );
  }

  async *streamRows(table: CatalogTable, columns: readonly string[]): AsyncIterable<Cell[][]> {
    for await (const row of this.#rows(table)) yield [columns.map((column) => row[column] ?? null)];
  }

  async *streamKeyRows(table: CatalogTable, columns: readonly string[]): AsyncIterable<KeyRow[]> {
    for await (const row of this.#rows(table)) yield [pick(row, columns)];
  }

  async readByKeys(
    table: CatalogTable,
    columns: readonly string[],
    keyColumns: readonly string[],
    keys: readonly string[][],
  ): Promise<KeyRow[]> {
    const wanted = new Set(keys.map((key) => key.join('\u0001')));
    const found: KeyRow[] = [];
    for await (const row of this.#rows(table))
      if (wanted.has(tupleOf(row, keyColumns) ?? '')) found.push(pick(row, columns));
    return found;
  }

  /** Reservoir sampling (Algorithm R): every row equally likely, one pass, `limit` rows in memory. */
  async sampleRows(table: CatalogTable, columns: readonly string[], limit: number): Promise<KeyRow[]> {
    const sample: KeyRow[] = [];
    let seen = 0;
    for await (const row of this.#rows(table)) {
      seen++;
      if (sample.length < limit) sample.push(pick(row, columns));
      else {
        const slot = Math.floor(Math.random() * seen);
        if (slot < limit) sample[slot] = pick(row, columns);
      }
    }
    return sample;
  }

  async close(): Promise<void> {}

  async *#rows(table: CatalogTable): AsyncIterable<KeyRow> {
    const header = `COPY ${qualifiedPg(table)} (`;
    const lines = createInterface({ input: createReadStream(this.#file), crlfDelay: Infinity });
    let columns: string[] | undefined;
    for await (const line of lines) {
      if (!columns) {
        if (line.startsWith(header)) columns = parseColumns(line.slice(header.length - 1));
        continue;
      }
      if (line === '\\.') break;
      const cells = splitCopyLine(line).map(decodeCopyValue);
      const row: KeyRow = {};
      columns.forEach((column, i) => (row[column] = cells[i] ?? null));
      yield row;
    }
    lines.close();
  }
}

function parseColumns(list: string): string[] {
  const inside = list.slice(1, list.indexOf(') FROM stdin;'));
  return inside.split(', ').map((name) => name.replace(/^"|"$/g, '').replace(/""/g, '"'));
}

function pick(row: KeyRow, columns: readonly string[]): KeyRow {
  return Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));
}
