import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Cell } from '../../core/row-masker.ts';
import type { CatalogTable } from '../../core/source-catalog.ts';
import { copyTextChunks, countLines } from '../copy-text-rows.ts';
import type { CopyWriter, DatabaseReader } from '../masking-database.ts';
import { pgColumnList, qualifiedPg } from '../postgres/postgres-identifiers.ts';
import { DumpReader } from './dump-reader.ts';

const HEADER = `--
-- PostgreSQL database dump: a masked copy written by Steward
-- (plain format, as pg_dump --format=plain writes it; load it with psql -f)
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET client_min_messages = warning;
SET row_security = off;

`;

/**
 * Writes the masked copy as a plain SQL dump in pg_dump's layout — schema statements, one
 * `COPY … FROM stdin;` block per table ending in `\.`, then constraints and indexes — that `psql`
 * loads into an empty database. Each table is written to its own part file first and renamed when
 * complete, so a run resumed after a crash keeps the finished tables; `finish` joins the parts in
 * catalog order into the file.
 */
export class PgDumpWriter implements CopyWriter {
  readonly #file: string;
  readonly #parts: string;
  #statementParts = 0;

  constructor(file: string) {
    this.#file = file;
    this.#parts = `${file}.parts`;
    mkdirSync(this.#parts, { recursive: true });
    this.#statementParts = readdirSync(this.#parts).filter((name) => name.startsWith('statements-')).length;
  }

  async apply(statements: readonly string[]): Promise<void> {
    const name = join(this.#parts, `statements-${String(this.#statementParts++).padStart(3, '0')}.sql`);
    await appendFile(`${name}.tmp`, statements.map((statement) => `${statement};\n\n`).join(''));
    renameSync(`${name}.tmp`, name);
  }

  async emptyTable(table: CatalogTable): Promise<void> {
    await rm(this.#tablePart(table), { force: true });
  }

  async writeRows(
    table: CatalogTable,
    columns: readonly string[],
    batches: AsyncIterable<Cell[][]>,
  ): Promise<number> {
    const counter = { rows: 0 };
    await this.#writeBlock(table, columns, copyTextChunks(batches, counter));
    return counter.rows;
  }

  async writeCopyText(
    table: CatalogTable,
    columns: readonly string[],
    chunks: AsyncIterable<Buffer>,
  ): Promise<number> {
    const counter = { rows: 0 };
    await this.#writeBlock(table, columns, countLines(chunks, counter));
    return counter.rows;
  }

  async #writeBlock(
    table: CatalogTable,
    columns: readonly string[],
    chunks: AsyncIterable<Buffer>,
  ): Promise<void> {
    const part = this.#tablePart(table);
    async function* block(): AsyncIterable<Buffer> {
      yield Buffer.from(
        `--\n-- Data for ${qualifiedPg(table)}\n--\n\nCOPY ${qualifiedPg(table)} (${pgColumnList(columns)}) FROM stdin;\n`,
      );
      yield* chunks;
      yield Buffer.from('\\.\n\n');
    }
    await pipeline(Readable.from(block()), createWriteStream(`${part}.tmp`));
    renameSync(`${part}.tmp`, part);
  }

  async finish(tables: readonly CatalogTable[]): Promise<void> {
    const statements = readdirSync(this.#parts)
      .filter((name) => /^statements-\d+\.sql$/.test(name))
      .sort();
    // The first statement part is the schema; the rest (constraints, indexes) follow the data.
    const order = [
      statements[0],
      ...tables.map((table) => this.#tablePartName(table)),
      ...statements.slice(1),
    ].filter((name): name is string => name !== undefined && existsSync(join(this.#parts, name)));
    const output = createWriteStream(`${this.#file}.tmp`);
    async function* joined(parts: string): AsyncIterable<Buffer | string> {
      yield HEADER;
      for (const name of order)
        for await (const chunk of createReadStream(join(parts, name))) yield chunk as Buffer;
      yield '--\n-- PostgreSQL database dump complete\n--\n';
    }
    await pipeline(Readable.from(joined(this.#parts)), output);
    renameSync(`${this.#file}.tmp`, this.#file);
    rmSync(this.#parts, { recursive: true, force: true });
  }

  reader(): DatabaseReader {
    return new DumpReader(this.#file);
  }

  async close(): Promise<void> {}

  #tablePart(table: CatalogTable): string {
    return join(this.#parts, this.#tablePartName(table));
  }

  #tablePartName(table: CatalogTable): string {
    return `table-${encodeURIComponent(table.id)}.sql`;
  }
}
