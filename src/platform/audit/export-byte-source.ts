import { open } from 'node:fs/promises';
import { NotFound } from '../../kernel/errors/domain-error.ts';

/**
 * Where the verifier reads an export from, front to back, into buffers it owns. Reading into the
 * verifier's own blocks (rather than taking a stream's chunks) means every byte is copied once,
 * from the file into the block that is hashed, and memory stays bounded by the blocks in flight.
 */
export interface ExportByteSource {
  /** Total bytes, when known: decides whether threads pay off. */
  readonly size: number | undefined;
  /** Fills `into` from the current position as far as it can; 0 at the end. */
  read(into: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** Opens an export file for streaming; a path that cannot be read is reported with the path. */
export async function openExportFile(path: string): Promise<ExportByteSource> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new NotFound(
      'audit.file_unreadable',
      `Cannot read ${path} (${(error as NodeJS.ErrnoException).code}). Check the path.`,
      { file: path },
    );
  }
  const { size } = await handle.stat();
  return {
    size,
    async read(into) {
      const { bytesRead } = await handle.read(into, 0, into.length, null);
      return bytesRead;
    },
    close: () => handle.close(),
  };
}

/** An export already in memory (tests, or an export received over HTTP); its bytes are not modified. */
export function exportFromBytes(bytes: Uint8Array): ExportByteSource {
  let position = 0;
  return {
    size: bytes.length,
    async read(into) {
      const n = Math.min(into.length, bytes.length - position);
      into.set(bytes.subarray(position, position + n));
      position += n;
      return n;
    },
    async close() {},
  };
}
