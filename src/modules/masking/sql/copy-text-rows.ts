import { StringDecoder } from 'node:string_decoder';
import { decodeCopyValue, encodeCopyValue, splitCopyLine } from '../core/copy-text-codec.ts';
import type { Cell } from '../core/row-masker.ts';

/** Rows per batch handed from reader to masker to writer: large enough to amortise, small enough to stay flat. */
export const BATCH_ROWS = 2000;

/** Bytes per batch of whole COPY lines masked at once: enough to amortise a hand-over to a thread, little enough to stay flat. */
export const BATCH_BYTES = 256 * 1024;

/**
 * Regroups a COPY TO STDOUT text stream into batches of whole lines of about `size` bytes (a line
 * longer than that makes its batch longer). Cutting at a newline never splits a UTF-8 character:
 * its bytes are all above 0x7F.
 */
export async function* wholeLineBatches(
  chunks: AsyncIterable<Buffer>,
  size = BATCH_BYTES,
): AsyncIterable<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length < size) continue;
    const joined = Buffer.concat(parts, length);
    const cut = joined.lastIndexOf(10) + 1;
    const rest = joined.subarray(cut);
    parts = rest.length ? [cut ? Buffer.from(rest) : joined] : [];
    length = rest.length;
    if (cut) yield joined.subarray(0, cut);
  }
  if (length) yield Buffer.concat(parts, length);
}

/** Parses a COPY TO STDOUT text stream into batches of decoded rows. */
export async function* copyTextBatches(stream: AsyncIterable<Buffer>): AsyncIterable<Cell[][]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let batch: Cell[][] = [];
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      batch.push(splitCopyLine(text.slice(start, newline)).map(decodeCopyValue));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  rest += decoder.end();
  if (rest) batch.push(splitCopyLine(rest).map(decodeCopyValue));
  if (batch.length) yield batch;
}

/** Encodes batches as COPY FROM STDIN text, one chunk per batch. */
export async function* copyTextChunks(
  batches: AsyncIterable<Cell[][]>,
  counter: { rows: number },
): AsyncIterable<Buffer> {
  for await (const batch of batches) {
    let text = '';
    for (const row of batch) {
      for (let i = 0; i < row.length; i++) {
        const cell = row[i]!;
        text +=
          (i ? '\t' : '') +
          encodeCopyValue(
            typeof cell === 'string' || cell === null ? cell : Buffer.from(cell).toString('utf8'),
          );
      }
      text += '\n';
    }
    counter.rows += batch.length;
    yield Buffer.from(text, 'utf8');
  }
}

/** Passes COPY text chunks through, counting rows (newlines; a newline inside a value is escaped). */
export async function* countLines(
  chunks: AsyncIterable<Buffer>,
  counter: { rows: number },
): AsyncIterable<Buffer> {
  for await (const chunk of chunks) {
    let index = chunk.indexOf(10);
    while (index !== -1) {
      counter.rows++;
      index = chunk.indexOf(10, index + 1);
    }
    yield chunk;
  }
}
