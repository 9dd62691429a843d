import type { ExportByteSource } from './export-byte-source.ts';

/** Default bytes read per block: large enough that per-block costs vanish, small enough to keep several in flight. */
export const DEFAULT_BLOCK_SIZE = 4 << 20;

/**
 * Whole lines of an export in a buffer the block owns (so it can be handed to another thread).
 * Lines are bytes [start, end), each ending in a newline; bytes[start − 1] belongs to the block
 * too and is free for the hasher to overwrite with the RFC 9162 leaf prefix.
 */
export interface LineBlock {
  bytes: Buffer;
  start: number;
  end: number;
}

/**
 * An export read as blocks of whole lines, the next block read while the caller works on the
 * current one. A line longer than a block grows the block; a last line without a newline is given
 * one, so it still counts as a line (a truncated entry is hashed as it is, not dropped). Callers
 * hand each block's memory back with `recycle` once its lines are hashed, so memory is the blocks
 * in flight whatever the export's size, without waiting for the garbage collector.
 */
export interface LineBlockStream {
  blocks: AsyncGenerator<LineBlock>;
  recycle(memory: ArrayBuffer): void;
}

export function readLineBlocks(source: ExportByteSource, blockSize = DEFAULT_BLOCK_SIZE): LineBlockStream {
  const spare: ArrayBuffer[] = [];
  /** Room for `size` bytes after the spare byte: a recycled buffer if one is large enough. */
  const newBlock = (size: number): Buffer => {
    const reused = spare.pop();
    const buffer =
      reused && reused.byteLength > size ? Buffer.from(reused) : Buffer.allocUnsafeSlow(size + 1);
    // The spare byte must not look like a line end to lastIndexOf.
    buffer[0] = 0x00;
    return buffer;
  };
  async function* blocks(): AsyncGenerator<LineBlock> {
    let buffer = newBlock(blockSize);
    let filled = 1;
    let reading = source.read(buffer.subarray(filled));
    for (;;) {
      const read = await reading;
      filled += read;
      const atEnd = read === 0;
      if (!atEnd && filled < buffer.length) {
        reading = source.read(buffer.subarray(filled));
        continue;
      }
      if (atEnd && filled > 1 && buffer[filled - 1] !== 0x0a) {
        if (filled === buffer.length) buffer = grown(buffer, filled, buffer.length + 1);
        buffer[filled++] = 0x0a;
      }
      const end = buffer.lastIndexOf(0x0a, filled - 1) + 1;
      if (end <= 1) {
        if (atEnd) return;
        // Not one whole line yet: the line is longer than the block.
        buffer = grown(buffer, filled, 2 * buffer.length);
        reading = source.read(buffer.subarray(filled));
        continue;
      }
      const block: LineBlock = { bytes: buffer, start: 1, end };
      if (atEnd) {
        yield block;
        return;
      }
      // The partial line after the last newline starts the next block, read while the caller hashes this one.
      const tail = filled - end;
      buffer = newBlock(Math.max(blockSize, 2 * tail));
      block.bytes.copy(buffer, 1, end, filled);
      filled = 1 + tail;
      reading = source.read(buffer.subarray(filled));
      yield block;
    }
  }
  return {
    blocks: blocks(),
    recycle(memory) {
      // Grown blocks are not kept: a rare long line should not pin memory for the rest of the export.
      if (memory.byteLength === blockSize + 1) spare.push(memory);
    },
  };
}

function grown(buffer: Buffer, filled: number, size: number): Buffer {
  const larger = Buffer.allocUnsafeSlow(size);
  buffer.copy(larger, 0, 0, filled);
  return larger;
}
