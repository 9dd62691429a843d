import type { DataMapSystem } from '../../datamap/datamap-types.ts';
import { InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { CollectionTarget } from '../connector.ts';
import { parseJsonPath, parseLogColumn, type LogColumn } from './log-columns.ts';
import type { LineDetector, LineFormat } from './log-line.ts';
import type { ColumnResolver } from './line-predicate.ts';

export type FilesSystem = Extract<DataMapSystem, { kind: 'files' }>;

/** Everything needed to read one collection's files. */
export interface CollectionFiles {
  name: string;
  directory: string;
  glob: string;
  format: LineFormat;
  resolve: ColumnResolver;
}

/** The files, format and column grammar of a collection of a `files` system. */
export function collectionFiles(
  system: FilesSystem,
  target: CollectionTarget,
  detect: LineDetector,
): CollectionFiles {
  const collection = system.collections.find((c) => c.name === target.name);
  if (!collection) {
    throw new NotFound(
      'connector.files_no_collection',
      `System ${system.id} has no collection ${target.name}.`,
      { system: system.id, collection: target.name },
    );
  }
  const settings = collection.files;
  if (!settings) {
    throw new InvalidInput(
      'connector.files_no_glob',
      `Collection ${system.id}.${target.name} does not say which files it is: add files: { glob: "${target.name}.log*", format: jsonl }.`,
      { system: system.id, collection: target.name },
    );
  }
  const format: LineFormat = {
    format: settings.format,
    detect,
    ...(settings.timestamp ? { timestampPath: parseJsonPath(settings.timestamp, target.name) } : {}),
  };
  const columns = new Map<string, LogColumn>();
  const resolve: ColumnResolver = (name) => {
    let column = columns.get(name);
    if (!column) {
      column = parseLogColumn(name, settings.format, target.name);
      columns.set(name, column);
    }
    return column;
  };
  return { name: target.name, directory: system.connection.directory, glob: settings.glob, format, resolve };
}
