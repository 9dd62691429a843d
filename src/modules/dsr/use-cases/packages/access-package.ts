import { join } from 'node:path';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import yazl from 'yazl';
import type { Article15Context } from './article15-context.ts';
import { readStagedRows, type StagedSystem, type StagingLocation } from './access-staging.ts';
import { writeEncryptedFile } from './encrypted-file.ts';
import { packageContext, packageFile } from './package-files.ts';

export interface PackageRequestInfo {
  id: string;
  type: string;
  regime: string;
  regimeType: string;
  receivedAt: string;
}

/**
 * Records Steward itself keeps about the subject (their consent history): a key of
 * personal-data.json, and a file of its own in the zip when there is anything in it.
 */
export interface StewardRecords {
  key: string;
  file: string;
  records: unknown[];
}

export interface BuiltPackage {
  /** Relative to `dsr.dataDir`. */
  file: string;
  sizeBytes: number;
  collections: number;
  rows: number;
}

/**
 * Builds the access package as a zip streamed straight into an encrypted file: `personal-data.json`
 * (request, Art. 15 context and every row, written row by row), one CSV per collection under
 * `csv/<system>/`, and a README. Rows come from the encrypted staging files one at a time, so
 * memory stays flat whatever the subject's size.
 */
export async function buildAccessPackage(
  location: StagingLocation,
  request: PackageRequestInfo,
  context: Article15Context,
  staged: StagedSystem[],
  own: StewardRecords[] = [],
): Promise<BuiltPackage> {
  const zip = new yazl.ZipFile();
  const generatedAt = new Date().toISOString();
  zip.addBuffer(Buffer.from(readme(request, staged, generatedAt, own)), 'README.txt', {
    mtime: new Date(generatedAt),
  });
  zip.addReadStream(
    Readable.from(inChunks(jsonDocument(location, request, context, staged, generatedAt, own))),
    'personal-data.json',
    { mtime: new Date(generatedAt) },
  );
  for (const records of own) {
    if (records.records.length > 0)
      zip.addBuffer(Buffer.from(`${JSON.stringify(records.records, null, 2)}\n`), records.file, {
        mtime: new Date(generatedAt),
      });
  }
  for (const system of staged) {
    for (const collection of system.collections) {
      zip.addReadStream(
        Readable.from(csvRows(location, system.system, collection.collection, collection.columns)),
        `csv/${system.system}/${collection.collection}.csv`,
        { mtime: new Date(generatedAt) },
      );
    }
  }
  zip.end();
  const file = packageFile(location.tenantId, location.requestId);
  const sizeBytes = await writeEncryptedFile(
    join(location.dataDir, file),
    location.key,
    packageContext(location.tenantId, location.requestId),
    zip.outputStream as unknown as Readable,
  );
  const collections = staged.reduce((n, s) => n + s.collections.length, 0);
  const rows = staged.reduce((n, s) => n + s.collections.reduce((m, c) => m + c.rows, 0), 0);
  return { file, sizeBytes, collections, rows };
}

const CHUNK_CHARS = 64 * 1024;

/** Joins small pieces into chunks of about 64 KiB: zlib and the zip writer pay per chunk, not per byte. */
async function* inChunks(pieces: AsyncIterable<string>): AsyncGenerator<string> {
  let buffered: string[] = [];
  let size = 0;
  for await (const piece of pieces) {
    buffered.push(piece);
    size += piece.length;
    if (size >= CHUNK_CHARS) {
      yield buffered.join('');
      buffered = [];
      size = 0;
    }
  }
  if (buffered.length) yield buffered.join('');
}

async function* jsonDocument(
  location: StagingLocation,
  request: PackageRequestInfo,
  context: Article15Context,
  staged: StagedSystem[],
  generatedAt: string,
  own: StewardRecords[],
): AsyncGenerator<string> {
  yield `{\n"request": ${JSON.stringify({ ...request, generatedAt })},\n"context": ${JSON.stringify(context)},\n"data": {`;
  let firstSystem = true;
  for (const system of staged) {
    yield `${firstSystem ? '' : ','}\n  ${JSON.stringify(system.system)}: {`;
    firstSystem = false;
    let firstCollection = true;
    for (const collection of system.collections) {
      yield `${firstCollection ? '' : ','}\n    ${JSON.stringify(collection.collection)}: [`;
      firstCollection = false;
      let firstRow = true;
      for await (const row of readStagedRows(location, system.system, collection.collection)) {
        yield `${firstRow ? '' : ','}\n      ${JSON.stringify(row)}`;
        firstRow = false;
      }
      yield firstRow ? ']' : '\n    ]';
    }
    yield firstCollection ? '}' : '\n  }';
  }
  yield '\n}';
  for (const records of own) yield `,\n${JSON.stringify(records.key)}: ${JSON.stringify(records.records)}`;
  yield '\n}\n';
}

async function* csvRows(
  location: StagingLocation,
  system: string,
  collection: string,
  columns: string[],
): AsyncGenerator<string> {
  const csv = stringify({
    header: true,
    columns,
    cast: { object: (value) => JSON.stringify(value), boolean: (value) => (value ? 'true' : 'false') },
  });
  const rows = readStagedRows(location, system, collection);
  // The stringifier is a transform stream: feed it row by row and pass its output on as it comes.
  const feeding = (async () => {
    try {
      for await (const row of rows) {
        if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      }
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
    }
  })();
  for await (const chunk of csv) yield String(chunk);
  await feeding;
}

function readme(
  request: PackageRequestInfo,
  staged: StagedSystem[],
  generatedAt: string,
  own: StewardRecords[],
): string {
  const lines = [
    `Your personal data — request ${request.id} (${request.regime.toUpperCase()} ${request.regimeType}), received ${request.receivedAt}, generated ${generatedAt}.`,
    '',
    'personal-data.json  everything in one machine-readable file: "context" explains why we process the data, on which legal basis,',
    '                    who receives it, how long it is kept and where it is transferred (GDPR Art. 15); "data" holds the records.',
    'csv/<system>/<collection>.csv  the same records, one table per file, for spreadsheets.',
    ...own
      .filter((o) => o.records.length > 0)
      .map((o) => `${o.file}  what we recorded ourselves ("${o.key}" in personal-data.json).`),
    '',
    'Records per system and collection:',
    ...staged.flatMap((system) =>
      system.collections.map((c) => `  ${system.system}/${c.collection}: ${c.rows}`),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
