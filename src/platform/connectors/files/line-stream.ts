/**
 * What becomes of a line: undefined keeps its bytes as they are, null drops it, a string replaces
 * it (without its newline).
 */
export type LineFate = string | null | undefined;

/** Decides the fate of one candidate line: its text (UTF-8, without the newline) and 1-based number. */
export type LineVisitor = (text: string, number: number) => LineFate;

/**
 * Literal byte strings of which a line must contain at least one to be worth looking at (the
 * subject's identity values): lines without any are copied without being decoded or parsed, which
 * is what makes a rewrite about as fast as `grep -v`. Absent = every line is a candidate.
 */
export interface LinePrefilter {
  needles: Buffer[];
  /** Needles are lower-case ASCII and lines are compared ASCII-case-folded. */
  caseInsensitive: boolean;
}

export interface LineStreamOptions {
  prefilter?: LinePrefilter;
  /** Count lines so visitors get their numbers (costs a pass over skipped lines). */
  numbered: boolean;
}

const NEWLINE = 0x0a;

/**
 * Streams a file's bytes through `visit`, yielding the new bytes: every line the visitor keeps (and
 * every line the pre-filter skips) comes out byte for byte as it went in, invalid UTF-8 included,
 * and a missing final newline stays missing. `changed()` tells whether any line was replaced or
 * dropped.
 */
export function transformLines(
  chunks: AsyncIterable<Buffer>,
  visit: LineVisitor,
  options: LineStreamOptions,
): { output: AsyncGenerator<Buffer>; changed: () => boolean } {
  let changed = false;
  const state = { lineNumber: 0 };
  async function* output(): AsyncGenerator<Buffer> {
    let carry: Buffer | undefined;
    for await (const chunk of chunks) {
      const buffer: Buffer = carry?.length ? Buffer.concat([carry, chunk]) : chunk;
      const lastNewline = buffer.lastIndexOf(NEWLINE);
      if (lastNewline === -1) {
        carry = buffer;
        continue;
      }
      carry = Buffer.from(buffer.subarray(lastNewline + 1));
      for (const piece of region(buffer.subarray(0, lastNewline + 1))) yield piece;
    }
    if (carry?.length) for (const piece of region(carry)) yield piece;
  }

  /** A run of whole lines (each ending in a newline, except a final line without one). */
  function* region(bytes: Buffer): Generator<Buffer> {
    const lineEnd = (from: number) => {
      const end = bytes.indexOf(NEWLINE, from);
      return end === -1 ? bytes.length : end;
    };
    let copiedUpTo = 0;
    let counted = 0;
    const numberOf = (lineStart: number) => {
      if (!options.numbered) return 0;
      for (
        let at = bytes.indexOf(NEWLINE, counted);
        at !== -1 && at < lineStart;
        at = bytes.indexOf(NEWLINE, at + 1)
      )
        state.lineNumber++;
      counted = lineStart;
      return state.lineNumber + 1;
    };
    const candidates = options.prefilter ? candidateStarts(bytes, options.prefilter) : everyLine(bytes);
    for (const start of candidates) {
      const end = lineEnd(start);
      const fate = visit(bytes.toString('utf8', start, end), numberOf(start));
      if (fate === undefined) continue;
      changed = true;
      if (start > copiedUpTo) yield bytes.subarray(copiedUpTo, start);
      const hasNewline = end < bytes.length;
      if (fate !== null) yield Buffer.from(hasNewline ? `${fate}\n` : fate, 'utf8');
      copiedUpTo = hasNewline ? end + 1 : end;
    }
    if (copiedUpTo < bytes.length) yield bytes.subarray(copiedUpTo);
    // The lines after the last candidate count for the next region's numbers.
    numberOf(bytes.length);
  }

  return { output: output(), changed: () => changed };
}

function* everyLine(bytes: Buffer): Generator<number> {
  let start = 0;
  while (start < bytes.length) {
    yield start;
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) return;
    start = end + 1;
  }
}

/** Starts of the lines that contain a needle, in order, each once. */
function* candidateStarts(bytes: Buffer, prefilter: LinePrefilter): Generator<number> {
  const haystack = prefilter.caseInsensitive ? asciiLowerCase(bytes) : bytes;
  const next = prefilter.needles.map((needle) => haystack.indexOf(needle));
  let from = 0;
  for (;;) {
    let found = -1;
    for (let i = 0; i < next.length; i++) {
      if (next[i]! !== -1 && next[i]! < from) next[i] = haystack.indexOf(prefilter.needles[i]!, from);
      if (next[i]! !== -1 && (found === -1 || next[i]! < found)) found = next[i]!;
    }
    if (found === -1) return;
    const start = found === 0 ? 0 : bytes.lastIndexOf(NEWLINE, found - 1) + 1;
    yield start;
    const end = bytes.indexOf(NEWLINE, found);
    if (end === -1) return;
    from = end + 1;
  }
}

const LOWER = new Uint8Array(256).map((_, byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte));

function asciiLowerCase(bytes: Buffer): Buffer {
  const folded = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) folded[i] = LOWER[bytes[i]!]!;
  return folded;
}
