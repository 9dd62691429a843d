import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';

/**
 * Files holding personal data at rest (staged rows, access packages) are AES-256-GCM encrypted as
 * they stream: `STWENC1\n` | 12-byte IV | ciphertext | 16-byte tag. `context` (e.g. the request
 * id) is authenticated, so a file cannot be swapped for another request's. The tag is checked when
 * the stream ends: a tampered file ends in an error, never silently.
 */
const MAGIC = Buffer.from('STWENC1\n');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES;

export interface EncryptedWriter {
  /** Encrypts and writes a chunk, waiting when the disk is slower than the producer. */
  write(chunk: Buffer | string): Promise<void>;
  /** Writes the tag and moves the file into place; returns its size. */
  finish(): Promise<number>;
  /** Drops the temporary file. */
  abort(): Promise<void>;
}

/**
 * A push-style encrypted file: written to a temporary file and renamed into place on `finish`, so
 * a crash never leaves half a file under the final name.
 */
export async function openEncryptedWriter(
  path: string,
  key: Buffer,
  context: string,
): Promise<EncryptedWriter> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context));
  const out = createWriteStream(temporary, { mode: 0o600 });
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  let size = 0;
  const put = async (bytes: Buffer) => {
    if (failure) throw failure;
    if (bytes.length === 0) return;
    size += bytes.length;
    if (!out.write(bytes)) await once(out, 'drain');
  };
  await put(Buffer.concat([MAGIC, iv]));
  return {
    write: (chunk) => put(cipher.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)),
    async finish() {
      await put(cipher.final());
      await put(cipher.getAuthTag());
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      if (failure) throw failure;
      await rename(temporary, path);
      return size;
    },
    async abort() {
      out.destroy();
      await rm(temporary, { force: true });
    },
  };
}

/** Writes the stream encrypted to `path`; returns the size. */
export async function writeEncryptedFile(
  path: string,
  key: Buffer,
  context: string,
  source: AsyncIterable<Buffer | string> | Readable,
): Promise<number> {
  const writer = await openEncryptedWriter(path, key, context);
  try {
    for await (const chunk of source) await writer.write(chunk as Buffer | string);
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** A stream of the decrypted content; it errors at the end if the file was altered. */
export async function openEncryptedFile(
  path: string,
  key: Buffer,
  context: string,
): Promise<{ stream: Readable; plaintextBytes: number }> {
  const handle = await open(path, 'r');
  let iv: Buffer;
  let tag: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    if (size < HEADER_BYTES + TAG_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new TypeError(`${path} is not a Steward encrypted file`);
    }
    iv = header.subarray(MAGIC.length);
    tag = Buffer.alloc(TAG_BYTES);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(tag);
  const bodyEnd = size - TAG_BYTES - 1;
  async function* decrypted() {
    if (bodyEnd >= HEADER_BYTES) {
      for await (const chunk of createReadStream(path, { start: HEADER_BYTES, end: bodyEnd })) {
        const out = decipher.update(chunk as Buffer);
        if (out.length) yield out;
      }
    }
    const last = decipher.final();
    if (last.length) yield last;
  }
  return {
    stream: Readable.from(decrypted(), { objectMode: false }),
    plaintextBytes: size - HEADER_BYTES - TAG_BYTES,
  };
}
