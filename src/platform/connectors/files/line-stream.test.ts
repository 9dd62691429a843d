import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transformLines, type LineFate } from './line-stream.ts';

/**
 * The stream joins lines split across read chunks, hands candidate lines to the visitor with their
 * numbers, and copies every other byte through. Checked against a plain line-by-line reference
 * over many random chunkings, with lines longer than a chunk and without a final newline.
 */
function aText(seed: number): string {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const pick = random();
    if (pick < 0.05) lines.push(`{"user":"ANN@Example.com","n":${i}}`);
    else if (pick < 0.1) lines.push(`drop me ${i}`);
    else if (pick < 0.12) lines.push('x'.repeat(200) + 'ann@example.com');
    else if (pick < 0.15) lines.push('');
    else lines.push(`line ${i} ${'é'.repeat(Math.floor(random() * 5))} bob@example.org`);
  }
  return lines.join('\n') + (seed % 2 ? '\n' : '');
}

/** The visitor of the test: a line with Ann is replaced (with its number), a "drop" line removed. */
function fate(text: string, number: number): LineFate {
  if (/ann@example\.com/i.test(text)) return `[erased line ${number}]`;
  if (text.startsWith('drop')) return null;
  return undefined;
}

function reference(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    if (last && line === '') return;
    const result = fate(line, i + 1);
    if (result === null) return;
    out.push((result ?? line) + (last ? '' : '\n'));
  });
  return out.join('');
}

async function* chunked(bytes: Buffer, sizes: () => number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length;) {
    const size = sizes();
    yield Buffer.from(bytes.subarray(at, at + size));
    at += size;
  }
}

test('any chunking gives the reference output, with and without the pre-filter', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const text = aText(seed);
    const bytes = Buffer.from(text, 'utf8');
    let state = seed * 7919;
    const sizes = () => 1 + ((state = (state * 48271) % 2147483647) % (seed % 3 === 0 ? 7 : 300));
    for (const prefilter of [
      undefined,
      { needles: [Buffer.from('ann@example.com'), Buffer.from('drop')], caseInsensitive: true, triggers: [] },
    ]) {
      const stream = transformLines(chunked(bytes, sizes), fate, {
        numbered: true,
        ...(prefilter ? { prefilter } : {}),
      });
      const out: Buffer[] = [];
      for await (const batch of stream.output) out.push(...batch);
      assert.equal(Buffer.concat(out).toString('utf8'), reference(text), `seed ${seed}`);
      assert.equal(stream.changed(), reference(text) !== text);
    }
  }
});
