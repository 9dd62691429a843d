import { createInterface } from 'node:readline';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccessPage } from '../execution/index.ts';
import { openEncryptedFile, openEncryptedWriter, type EncryptedWriter } from './encrypted-file.ts';
import { stagingContext, stagingDirectory } from './package-files.ts';
import { plainRow } from './plain-row.ts';

/** What one system's access step staged: per collection the row count and the columns seen. No values. */
export interface StagedSystem {
  system: string;
  collections: StagedCollection[];
}

export interface StagedCollection {
  collection: string;
  rows: number;
  columns: string[];
}

export interface StagingLocation {
  /** Absolute `dsr.dataDir`. */
  dataDir: string;
  key: Buffer;
  tenantId: string;
  requestId: string;
}

const MANIFEST = 'manifest.json';

/**
 * Writes a system's access pages to encrypted NDJSON files, one per collection, page by page (the
 * subject is never held in memory). The manifest is written last: a system without one was not
 * staged completely. Running it again replaces what an interrupted run left.
 */
export async function stageSystemAccess(
  location: StagingLocation,
  system: string,
  pages: AsyncIterable<AccessPage>,
): Promise<StagedSystem> {
  const dir = join(
    location.dataDir,
    stagingDirectory(location.tenantId, location.requestId),
    safeName(system),
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const writers = new Map<string, { writer: EncryptedWriter; rows: number; columns: Set<string> }>();
  try {
    for await (const page of pages) {
      let entry = writers.get(page.collection);
      if (!entry) {
        const writer = await openEncryptedWriter(
          join(dir, `${safeName(page.collection)}.ndjson.enc`),
          location.key,
          stagingContext(location.tenantId, location.requestId, system, page.collection),
        );
        entry = { writer, rows: 0, columns: new Set() };
        writers.set(page.collection, entry);
      }
      const lines: string[] = [];
      for (const row of page.rows) {
        for (const column of Object.keys(row)) entry.columns.add(column);
        lines.push(JSON.stringify(plainRow(row)));
      }
      entry.rows += page.rows.length;
      if (lines.length) await entry.writer.write(`${lines.join('\n')}\n`);
    }
    const collections: StagedCollection[] = [];
    for (const [collection, entry] of writers) {
      await entry.writer.finish();
      collections.push({ collection, rows: entry.rows, columns: [...entry.columns] });
    }
    const staged = { system, collections };
    await writeFile(join(dir, MANIFEST), JSON.stringify(staged), { mode: 0o600 });
    return staged;
  } catch (error) {
    await Promise.all([...writers.values()].map((entry) => entry.writer.abort()));
    throw error;
  }
}

/** The manifest of a completely staged system, or undefined. */
export async function readStagedSystem(
  location: StagingLocation,
  system: string,
): Promise<StagedSystem | undefined> {
  try {
    return JSON.parse(
      await readFile(
        join(
          location.dataDir,
          stagingDirectory(location.tenantId, location.requestId),
          safeName(system),
          MANIFEST,
        ),
        'utf8',
      ),
    ) as StagedSystem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The staged rows of one collection, one at a time. */
export async function* readStagedRows(
  location: StagingLocation,
  system: string,
  collection: string,
): AsyncGenerator<Record<string, unknown>> {
  const file = join(
    location.dataDir,
    stagingDirectory(location.tenantId, location.requestId),
    safeName(system),
    `${safeName(collection)}.ndjson.enc`,
  );
  const { stream } = await openEncryptedFile(
    file,
    location.key,
    stagingContext(location.tenantId, location.requestId, system, collection),
  );
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (line) yield JSON.parse(line) as Record<string, unknown>;
  }
}

export async function removeStaging(location: Omit<StagingLocation, 'key'>): Promise<void> {
  await rm(join(location.dataDir, stagingDirectory(location.tenantId, location.requestId)), {
    recursive: true,
    force: true,
  });
}

/** System and collection ids become path segments; anything but a plain name is encoded. */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) && !name.startsWith('.')
    ? name
    : `~${Buffer.from(name).toString('base64url')}`;
}
