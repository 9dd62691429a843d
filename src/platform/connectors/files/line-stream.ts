/**
 * What becomes of a line: undefined keeps its bytes as they are, null drops it, a string replaces
 * it (without its newline).
 */
export type LineFate = string | null | undefined;

/** Decides the fate of one candidate line: its text (UTF-8, without the newline) and 1-based number. */
export type LineVisitor = (text: string, number: number) => LineFate;

/**
 * Byte strings of which a line must contain at least one to be worth looking at (the subject's
 * identity values, and the marks of other spellings of them): lines without any are copied without
 * being decoded or parsed, which is what makes a rewrite about as fast as `grep -v`. Absent = every
 * line is a candidate.
 */
export interface LinePrefilter {
  /** The values as they may be written; lower-case ASCII when `caseInsensitive`. */
  needles: Buffer[];
  /** Needles are compared with the line ASCII-case-folded. */
  caseInsensitive: boolean;
  /**
   * Compared byte for byte, never folded: a line holding one may spell a value in a way no needle
   * lists (a JSON `\u` escape, a non-ASCII letter that lower-cases to an ASCII one), so it is a
   * candidate too and the visitor decides.
   */
  triggers: Buffer[];
}

export interface LineStreamOptions {
  prefilter?: LinePrefilter;
  /** Count lines so visitors get their numbers (costs a pass over skipped lines). */
  numbered: boolean;
}

const NEWLINE = 0x0a;

/**
 * Streams a file's bytes through `visit`, yielding the new bytes in batches: every line the visitor
 * keeps (and every line the pre-filter skips) comes out byte for byte as it went in, invalid UTF-8
 * included, and a missing final newline stays missing. `changed()` tells whether any line was
 * replaced or dropped. A batch is the kept runs and replaced lines of one input chunk, in order (the
 * chunk itself when none of its lines changed): written with one writev, nothing is copied.
 */
export function transformLines(
  chunks: AsyncIterable<Buffer>,
  visit: LineVisitor,
  options: LineStreamOptions,
): { output: AsyncGenerator<Buffer[]>; changed: () => boolean } {
  let changed = false;
  const state = { lineNumber: 0 };
  const searchesIn = options.prefilter ? compileSearches(options.prefilter) : undefined;
  async function* output(): AsyncGenerator<Buffer[]> {
    // The start of a line the previous chunk ended in the middle of (copied: it is small).
    let carry: Buffer | undefined;
    for await (const chunk of chunks) {
      let body = chunk;
      if (carry) {
        const firstNewline = chunk.indexOf(NEWLINE);
        if (firstNewline === -1) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        // Only the line that straddles the two chunks is joined, not the whole chunk.
        yield region(Buffer.concat([carry, chunk.subarray(0, firstNewline + 1)]));
        body = chunk.subarray(firstNewline + 1);
        carry = undefined;
      }
      const lastNewline = body.lastIndexOf(NEWLINE);
      if (lastNewline + 1 < body.length) carry = Buffer.from(body.subarray(lastNewline + 1));
      if (lastNewline !== -1) yield region(body.subarray(0, lastNewline + 1));
    }
    if (carry) yield region(carry);
  }

  /** A run of whole lines (each ending in a newline, except a final line without one), edited. */
  function region(bytes: Buffer): Buffer[] {
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
    const pieces: Buffer[] = [];
    const candidates = searchesIn ? candidateStarts(bytes, searchesIn(bytes)) : everyLine(bytes);
    for (const start of candidates) {
      const end = lineEnd(start);
      const fate = visit(bytes.toString('utf8', start, end), numberOf(start));
      if (fate === undefined) continue;
      changed = true;
      if (start > copiedUpTo) pieces.push(bytes.subarray(copiedUpTo, start));
      const hasNewline = end < bytes.length;
      if (fate !== null) pieces.push(Buffer.from(hasNewline ? `${fate}\n` : fate, 'utf8'));
      copiedUpTo = hasNewline ? end + 1 : end;
    }
    // The lines after the last candidate count for the next region's numbers.
    numberOf(bytes.length);
    if (copiedUpTo < bytes.length) pieces.push(bytes.subarray(copiedUpTo));
    return pieces;
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

/** Where the next occurrence of one needle or trigger is, at or after `from` (-1: none). */
type Search = (from: number) => number;

/** Starts of the lines that contain a needle or a trigger, in order, each once. */
function* candidateStarts(bytes: Buffer, searches: Search[]): Generator<number> {
  const next = searches.map((search) => search(0));
  let from = 0;
  for (;;) {
    let found = -1;
    for (let i = 0; i < next.length; i++) {
      if (next[i]! !== -1 && next[i]! < from) next[i] = searches[i]!(from);
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

/** The pre-filter compiled once per stream: for each region, the searches of its needles and triggers. */
function compileSearches(prefilter: LinePrefilter): (bytes: Buffer) => Search[] {
  const folded = prefilter.caseInsensitive ? foldedNeedles(prefilter.needles) : undefined;
  return (bytes) => {
    const triggers = prefilter.triggers.map((trigger) => triggerSearch(bytes, trigger));
    if (!folded) return [...prefilter.needles.map((needle) => needleSearch(bytes, needle)), ...triggers];
    const text = bytes.toString('latin1');
    return [
      (from) => {
        folded.lastIndex = from;
        return folded.exec(text)?.index ?? -1;
      },
      ...triggers,
    ];
  };
}

function needleSearch(bytes: Buffer, needle: Buffer): Search {
  return (from) => bytes.indexOf(needle, from);
}

/**
 * The lower-case ASCII needles as one case-insensitive pattern, run over the region read as Latin-1
 * (one character per byte, so its offsets are byte offsets). Without the u flag, /i compares ASCII
 * letters by their ASCII case partners only (a non-ASCII character never matches an ASCII one), so
 * it finds exactly what a search of the ASCII-folded bytes would — without folding a copy of every
 * byte first, which cost more than the rest of the rewrite.
 */
function foldedNeedles(needles: Buffer[]): RegExp {
  const escaped = needles.map((needle) => needle.toString('latin1').replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return new RegExp(escaped.join('|'), 'gi');
}

/**
 * Finds a short exact byte string by its first byte (a memchr, fast even when that byte is common)
 * and then compares the rest: triggers are rare, and a multi-byte search over every region cost as
 * much as the needles' own.
 */
function triggerSearch(bytes: Buffer, trigger: Buffer): Search {
  const first = trigger[0]!;
  return (from) => {
    for (let at = bytes.indexOf(first, from); at !== -1; at = bytes.indexOf(first, at + 1)) {
      let same = at + trigger.length <= bytes.length;
      for (let i = 1; same && i < trigger.length; i++) same = bytes[at + i] === trigger[i];
      if (same) return at;
    }
    return -1;
  };
}
