import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CollectionTarget,
  Connector,
  ConnectorReader,
  ConnectorTransaction,
  DeleteSpec,
  ReadSpec,
  Row,
  RowPredicate,
  UpdateSpec,
} from '../connector.ts';
import { DEFAULT_PAGE_SIZE } from '../connector.ts';
import {
  commitStaged,
  discardStaged,
  removeAbandonedTemporaries,
  writeTemporary,
  type StagedFile,
} from './atomic-rewrite.ts';
import { withDirectoryLock } from './directory-lock.ts';
import { collectionFiles, type CollectionFiles, type FilesSystem } from './files-collection.ts';
import { editLine } from './line-edit.ts';
import { compileLinePredicate, constrainedValues, isConstrained } from './line-predicate.ts';
import { prefilterFor } from './line-prefilter.ts';
import { transformLines, type LineVisitor } from './line-stream.ts';
import { isGzip, listLogFiles, readLogBytes } from './log-files.ts';
import { LogLine, type LineDetector } from './log-line.ts';
import { compareForKeyset } from './keyset-order.ts';
import { platformDetector } from './platform-detector.ts';

export interface FilesConnectorOptions {
  /** Finds PII in a line for `pii:<type>` columns; default: the platform's detector. */
  detect?: LineDetector;
}

/**
 * Log files as a system: each collection is a set of files in the system's directory (a glob, with
 * rotated and gzipped archives), each line a row (see `log-columns.ts` for its columns). Reads scan
 * the files; a transaction rewrites each file it changes into a temporary file, and only when the
 * work succeeds replaces the originals by rename (temp + fsync + rename), so a failure or a crash
 * leaves every original as it was. Lines nobody changes keep their exact bytes.
 */
export function createFilesConnector(system: FilesSystem, options: FilesConnectorOptions = {}): Connector {
  return new FilesConnector(system, options.detect ?? platformDetector);
}

class FilesConnector implements Connector {
  readonly kind = 'files' as const;
  readonly #system: FilesSystem;
  readonly #detect: LineDetector;

  constructor(system: FilesSystem, detect: LineDetector) {
    this.#system = system;
    this.#detect = detect;
  }

  read(spec: ReadSpec): AsyncIterable<Row[]> {
    return readRows(this.#files(spec.target), spec, new Map());
  }

  count(target: CollectionTarget, where: RowPredicate): Promise<number> {
    return countRows(this.#files(target), where, new Map());
  }

  async *session<T>(work: (reader: ConnectorReader) => AsyncIterable<T>): AsyncIterable<T> {
    yield* work({ read: (spec) => this.read(spec), count: (target, where) => this.count(target, where) });
  }

  transaction<T>(work: (tx: ConnectorTransaction) => Promise<T>): Promise<T> {
    const directory = this.#system.connection.directory;
    return withDirectoryLock(directory, async () => {
      await removeAbandonedTemporaries(directory);
      const staged = new Map<string, StagedFile>();
      try {
        const result = await work({
          read: (spec) => readRows(this.#files(spec.target), spec, staged),
          count: (target, where) => countRows(this.#files(target), where, staged),
          delete: (spec: DeleteSpec) => rewrite(this.#files(spec.target), spec.where, staged, () => null),
          update: (spec: UpdateSpec) => {
            const files = this.#files(spec.target);
            return rewrite(files, spec.where, staged, (line) =>
              editLine(line, spec.set, spec.where, files.resolve, files.format),
            );
          },
        });
        await commitStaged([...staged.values()]);
        return result;
      } catch (error) {
        await discardStaged([...staged.values()]);
        throw error;
      }
    });
  }

  async close(): Promise<void> {}

  #files(target: CollectionTarget): CollectionFiles {
    return collectionFiles(this.#system, target, this.#detect);
  }
}

/** Where a file's current content is: its staged rewrite inside a transaction, else the file. */
function currentPath(path: string, staged: Map<string, StagedFile>): string {
  return staged.get(path)?.temp ?? path;
}

/** Visits every line of one file that may match `where`. */
async function scanFile(
  files: CollectionFiles,
  file: string,
  where: RowPredicate,
  staged: Map<string, StagedFile>,
  onMatch: (line: LogLine) => void,
  numbered = usesLineNumbers(where),
): Promise<void> {
  const matches = compileLinePredicate(where, files.resolve);
  const path = join(files.directory, file);
  const { output } = transformLines(
    readLogBytes(currentPath(path, staged), isGzip(path)),
    (text, number) => {
      const line = new LogLine(text, file, number, files.format);
      if (matches(line)) onMatch(line);
      return undefined;
    },
    { prefilter: prefilterFor(where, files.resolve, files.format.format), numbered },
  );
  for await (const piece of output) void piece;
}

async function* readRows(
  files: CollectionFiles,
  spec: ReadSpec,
  staged: Map<string, StagedFile>,
): AsyncGenerator<Row[]> {
  const pageSize = spec.pageSize ?? DEFAULT_PAGE_SIZE;
  const columns = [...new Set([...spec.columns, ...spec.keyset])];
  const numbered = usesLineNumbers(spec.where) || columns.some((c) => files.resolve(c).kind === 'number');
  const project = projector(files, columns, spec.where);
  const rows: Row[] = [];
  const collect = (line: LogLine) => rows.push(project(line));
  const list = await listLogFiles(files.directory, files.glob);
  // Pages follow the keyset's order when one is given (callers page by it); else the files' order.
  if (spec.keyset.length) {
    for (const file of list) await scanFile(files, file, spec.where, staged, collect, numbered);
    rows.sort(compareForKeyset(spec.keyset));
    for (let i = 0; i < rows.length; i += pageSize) yield rows.slice(i, i + pageSize);
    return;
  }
  for (const file of list) {
    await scanFile(files, file, spec.where, staged, collect, numbered);
    while (rows.length >= pageSize) yield rows.splice(0, pageSize);
  }
  if (rows.length) yield rows;
}

async function countRows(
  files: CollectionFiles,
  where: RowPredicate,
  staged: Map<string, StagedFile>,
): Promise<number> {
  let count = 0;
  for (const file of await listLogFiles(files.directory, files.glob))
    await scanFile(files, file, where, staged, () => count++);
  return count;
}

/**
 * Rewrites every file of the collection that has a line matching `where`, giving each matching
 * line the fate `change` decides (null drops it, a string replaces it, undefined keeps it); returns
 * how many lines matched. Files with no change are left alone, byte for byte.
 */
async function rewrite(
  files: CollectionFiles,
  where: RowPredicate,
  staged: Map<string, StagedFile>,
  change: (line: LogLine) => string | null | undefined,
): Promise<number> {
  const matches = compileLinePredicate(where, files.resolve);
  const prefilter = prefilterFor(where, files.resolve, files.format.format);
  const numbered = usesLineNumbers(where);
  let matched = 0;
  for (const file of await listLogFiles(files.directory, files.glob)) {
    const path = join(files.directory, file);
    let matchedHere = 0;
    const visit: LineVisitor = (text, number) => {
      const line = new LogLine(text, file, number, files.format);
      if (!matches(line)) return undefined;
      matchedHere++;
      return change(line);
    };
    // Compressing a whole archive only to find it unchanged costs more than reading it first.
    let any = false;
    if (isGzip(path)) await scanFile(files, file, where, staged, () => (any = true));
    if (isGzip(path) && !any) continue;
    const original = staged.get(path) ?? { original: path, temp: '', ...(await sizeAndTime(path)) };
    const transform = transformLines(readLogBytes(currentPath(path, staged), isGzip(path)), visit, {
      prefilter,
      numbered,
    });
    const temp = await writeTemporary(path, transform.output);
    matched += matchedHere;
    if (!transform.changed()) {
      await unlink(temp);
      continue;
    }
    if (original.temp) await unlink(original.temp).catch(() => {});
    staged.set(path, { ...original, temp });
  }
  return matched;
}

async function sizeAndTime(path: string): Promise<{ size: number; mtimeMs: number }> {
  const { size, mtimeMs } = await stat(path);
  return { size, mtimeMs };
}

/** A row of the requested columns; a multi-valued column shows the value the predicate asked for. */
function projector(files: CollectionFiles, columns: string[], where: RowPredicate): (line: LogLine) => Row {
  const plan = columns.map((name) => ({
    name,
    column: files.resolve(name),
    only: constrainedValues(where, name),
  }));
  return (line) => {
    const row: Row = {};
    for (const { name, column, only } of plan) {
      const values = line.values(column);
      row[name] = (only ? values.find((v) => isConstrained(v, only)) : undefined) ?? values[0] ?? null;
    }
    return row;
  };
}

function usesLineNumbers(where: RowPredicate): boolean {
  return JSON.stringify(where).includes('"$number"');
}
