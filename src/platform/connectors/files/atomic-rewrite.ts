import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chown, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Conflict } from '../../../kernel/errors/domain-error.ts';
import { processAlive } from './directory-lock.ts';
import { isGzip, TEMP_FILE } from './log-files.ts';

/** A rewritten file waiting for its transaction to commit: the original is still untouched. */
export interface StagedFile {
  original: string;
  temp: string;
  /** The original's size and modification time when it was first read, to detect writers. */
  size: number;
  mtimeMs: number;
}

/**
 * Writes `batches` to a new temporary file beside `original` (same mode and owner, gzip-compressed
 * when the original is a `.gz`), flushed to disk before it is closed. The original is not touched.
 */
export async function writeTemporary(original: string, batches: AsyncIterable<Buffer[]>): Promise<string> {
  const temp = join(
    dirname(original),
    `.${basename(original)}.steward-${process.pid}-${randomBytes(6).toString('hex')}.tmp`,
  );
  const { mode, uid, gid } = await stat(original);
  try {
    if (isGzip(original)) {
      // flush: fsync before close, so a crash after the rename cannot leave a renamed empty file.
      const file = createWriteStream(temp, { mode: mode & 0o7777, flush: true });
      await pipeline(Readable.from(buffersOf(batches), { objectMode: false }), createGzip(), file);
    } else {
      await writeSynced(temp, mode & 0o7777, batches);
    }
    if (process.getuid?.() === 0) await chown(temp, uid, gid);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  return temp;
}

/**
 * Each batch written with one writev (no copy into a bigger buffer), then fsync, then close. Every
 * few megabytes a flush of what is written so far starts beside the writing (one at a time), so the
 * disk works while the lines are edited and the final fsync waits only for the last stretch — on a
 * busy disk that wait was most of a large rewrite's time.
 */
async function writeSynced(path: string, mode: number, batches: AsyncIterable<Buffer[]>): Promise<void> {
  const handle = await open(path, 'wx', mode);
  let flushing: Promise<void> | undefined;
  // One batch is written while the next is edited (batches are never reused, so that is safe).
  let writing: Promise<number> | undefined;
  try {
    let unflushed = 0;
    for await (const batch of batches) {
      if (writing) unflushed += await writing;
      writing = writeAll(handle, batch);
      // Awaited on the next turn or below; a failure before then must not be reported as unhandled.
      writing.catch(() => {});
      if (unflushed >= EARLY_FLUSH_BYTES && !flushing) {
        unflushed = 0;
        flushing = handle.datasync().finally(() => (flushing = undefined));
        flushing.catch(() => {});
      }
    }
    await writing;
    await flushing;
    await handle.sync();
  } finally {
    await writing?.catch(() => {});
    await flushing?.catch(() => {});
    await handle.close();
  }
}

/** How much is written before a flush of it starts. */
const EARLY_FLUSH_BYTES = 4 << 20;

/** Writes the buffers in order, going on where writev stopped short; returns the bytes written. */
async function writeAll(handle: FileHandle, batch: Buffer[]): Promise<number> {
  let pending = batch.filter((buffer) => buffer.length > 0);
  let total = 0;
  while (pending.length) {
    let { bytesWritten } = await handle.writev(pending.slice(0, MAX_IOVECS));
    total += bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (bytesWritten >= buffer.length) bytesWritten -= buffer.length;
      else {
        rest.push(bytesWritten ? buffer.subarray(bytesWritten) : buffer);
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
  return total;
}

/** Linux's IOV_MAX: more buffers than this in one writev is refused. */
const MAX_IOVECS = 1024;

async function* buffersOf(batches: AsyncIterable<Buffer[]>): AsyncGenerator<Buffer> {
  for await (const batch of batches) yield* batch;
}

/**
 * Replaces each original by its temporary file (rename is atomic: a reader sees the old file or the
 * new one, never a mix), then syncs the directories so the renames survive a crash. A file that was
 * written to since it was read would lose those lines: the commit is refused before any rename.
 */
export async function commitStaged(staged: readonly StagedFile[]): Promise<void> {
  for (const file of staged) {
    const now = await stat(file.original);
    if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
      throw new Conflict(
        'connector.files_changed',
        `${basename(file.original)} was written to while it was rewritten; nothing was changed. Rotate the log the application writes to, or run again.`,
        { file: basename(file.original) },
      );
    }
  }
  for (const file of staged) await rename(file.temp, file.original);
  for (const directory of new Set(staged.map((file) => dirname(file.original))))
    await syncDirectory(directory);
}

/** Removes the temporary files of a transaction that failed: the originals stay as they were. */
export async function discardStaged(staged: readonly StagedFile[]): Promise<void> {
  await Promise.all(staged.map((file) => unlink(file.temp).catch(() => {})));
}

/**
 * Removes temporary files left by rewrites whose process died (a crash between write and rename):
 * their originals were never replaced, so they are only garbage.
 */
export async function removeAbandonedTemporaries(directory: string): Promise<void> {
  for (const entry of await readdir(directory, { recursive: true }).catch(() => [] as string[])) {
    const pid = TEMP_FILE.exec(basename(entry))?.[1];
    if (pid && Number(pid) !== process.pid && !processAlive(Number(pid)))
      await unlink(join(directory, entry)).catch(() => {});
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
