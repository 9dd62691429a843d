import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyTextBatches, copyTextChunks, wholeLineBatches } from '../sql/copy-text-rows.ts';
import { createKeyedDigest } from './keyed-digest.ts';
import type { TableRules } from './masking-rules.ts';
import { RowMasker, type Cell } from './row-masker.ts';
import type { CatalogColumn } from './source-catalog.ts';

const TOOLS = {
  digest: createKeyedDigest(Buffer.from('a-masking-key-of-32-bytes-length')),
  locale: 'de',
  defaultCountry: 'DE',
};

const COLUMNS: CatalogColumn[] = [
  { name: 'id', rawType: 'integer', family: 'integer', nullable: false, generated: false },
  { name: 'note', rawType: 'text', family: 'text', nullable: true, generated: false },
  { name: 'email', rawType: 'text', family: 'text', nullable: true, generated: false },
  { name: 'kind', rawType: 'text', family: 'text', nullable: false, generated: false },
  { name: 'phone', rawType: 'text', family: 'text', nullable: true, generated: false },
];

/** Rules out of column order, as the data map may list them: the line walk must not care. */
const RULES: TableRules = {
  table: 'public.people',
  inDataMap: true,
  columns: [
    {
      column: 'phone',
      transformer: 'phone',
      params: {},
      source: 'category',
      reason: 'test',
      categories: [],
      leakCheck: 'anywhere',
    },
    {
      column: 'email',
      transformer: 'email',
      params: {},
      source: 'category',
      reason: 'test',
      categories: [],
      leakCheck: 'anywhere',
    },
    {
      column: 'note',
      transformer: 'keyed_token',
      params: {},
      source: 'category',
      reason: 'test',
      categories: [],
      leakCheck: 'anywhere',
    },
  ],
};

/** COPY text lines with what a real table holds: escapes, NULLs, tabs and newlines inside values, non-ASCII text. */
function copyText(rows: number): string {
  let text = '';
  for (let i = 0; i < rows; i++) {
    const note = [`plain ${i}`, 'tab\\there', 'line\\nbreak\\\\slash', '\\N', 'Grüße 😀', ''][i % 6];
    const email = i % 5 === 4 ? '\\N' : `Person.${i}@Example.org`;
    const phone = i % 3 === 2 ? '\\N' : `+49 30 ${String(1_000_000 + i * 7919).slice(0, 7)}`;
    text += `${i}\t${note}\t${email}\tkind\\t${i % 3}\t${phone}\n`;
  }
  return text;
}

async function* chunksOf(text: string, size: number): AsyncIterable<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function joined(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

describe('masking COPY text line by line', () => {
  it('writes what parsing into rows, masking them and encoding them again writes, profiles included', async () => {
    const text = copyText(600);
    const byRows = new RowMasker(COLUMNS, RULES, TOOLS, new Set());
    async function* maskedRows(): AsyncIterable<Cell[][]> {
      for await (const batch of copyTextBatches(chunksOf(text, 999))) {
        for (const row of batch) byRows.maskRow(row);
        yield batch;
      }
    }
    const expected = await joined(copyTextChunks(maskedRows(), { rows: 0 }));

    const byLines = new RowMasker(COLUMNS, RULES, TOOLS, new Set());
    let rows = 0;
    let output = '';
    for await (const batch of wholeLineBatches(chunksOf(text, 777), 4096)) {
      const masked = byLines.maskCopyText(batch.toString('utf8'));
      rows += masked.rows;
      output += masked.text;
    }
    assert.equal(rows, 600);
    assert.equal(output, expected);
    assert.notEqual(output, text);
    assert.deepEqual(
      byLines.profiles.map((p) => [p.column, p.source.summary(), p.copy.summary()]),
      byRows.profiles.map((p) => [p.column, p.source.summary(), p.copy.summary()]),
    );
  });

  it('cuts a stream into batches of whole lines, never inside a character', async () => {
    const text = copyText(300);
    const batches: string[] = [];
    for await (const batch of wholeLineBatches(chunksOf(text, 13), 1000))
      batches.push(batch.toString('utf8'));
    assert.equal(batches.join(''), text);
    assert.ok(batches.length > 5 && batches.every((batch) => batch.endsWith('\n')));
  });

  it('merges profiles of a table masked in parts into the profile of the whole', () => {
    const text = copyText(500);
    const lines = text.split(/(?<=\n)/);
    const whole = new RowMasker(COLUMNS, RULES, TOOLS, new Set());
    whole.maskCopyText(text);
    const merged = new RowMasker(COLUMNS, RULES, TOOLS, new Set());
    for (const part of [lines.slice(0, 120), lines.slice(120, 121), lines.slice(121)]) {
      const worker = new RowMasker(COLUMNS, RULES, TOOLS, new Set());
      worker.maskCopyText(part.join(''));
      merged.mergeProfileStates(worker.profileStates());
    }
    assert.deepEqual(
      merged.profiles.map((p) => [p.source.summary(), p.copy.summary()]),
      whole.profiles.map((p) => [p.source.summary(), p.copy.summary()]),
    );
  });
});
