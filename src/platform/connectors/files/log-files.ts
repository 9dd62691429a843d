import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, matchesGlob, relative } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Unavailable } from '../../../kernel/errors/domain-error.ts';

/** Bytes per read: large enough that per-chunk work is negligible next to the copy. */
const CHUNK_BYTES = 1 << 20;

/** Temporary files of a rewrite in progress (or of one a crash interrupted): never log files. */
export const TEMP_FILE = /^\..+\.steward-(\d+)-[0-9a-f]+\.tmp$/;

/**
 * The files of a collection: those under `directory` whose path relative to it matches `glob`
 * (`api.log*` takes `api.log`, `api.log.1` and `api.log.2.gz`), sorted by name. Rewrites' temporary
 * files are never included.
 */
export async function listLogFiles(directory: string, glob: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(directory, { recursive: glob.includes('/') });
  } catch (error) {
    throw new Unavailable(
      'connector.files_unreadable',
      `The log directory ${directory} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check the path and permissions.`,
      { directory },
      { cause: error },
    );
  }
  return entries
    .filter((entry) => !TEMP_FILE.test(basename(entry)) && matchesGlob(entry, glob))
    .map((entry) => relative(directory, join(directory, entry)))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Whether the file is a gzip archive (by name: rotated archives are `*.gz`). */
export function isGzip(path: string): boolean {
  return path.endsWith('.gz');
}

/** The decompressed bytes of a log file, in large chunks. */
export function readLogBytes(path: string, gzip = isGzip(path)): AsyncIterable<Buffer> {
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  return gzip ? stream.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : stream;
}
