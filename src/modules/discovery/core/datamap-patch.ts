import { createTwoFilesPatch } from 'diff';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapChange } from './drift.ts';

/**
 * Applies proposed changes to the text of a data-map file through the `yaml` Document API, so
 * comments, key order and formatting of everything else stay as they were. New collections go into
 * the system's `collections` when the system is declared in this file, else into the top-level
 * `collections` with `system:`; new fields are written one per line in flow style, `review: true`.
 */
export function applyDataMapChanges(text: string, changes: readonly DataMapChange[], file: string): string {
  const document = parseDocument(text);
  if (document.errors.length)
    throw new InvalidInput(
      'discovery.datamap_unparsable',
      `${file} is not valid YAML: fix it before applying changes.`,
      { file },
    );
  for (const change of changes) apply(document, change, file);
  return document.toString({ lineWidth: 0 });
}

/** A unified diff (`a/` and `b/` prefixes) that `git apply` and `patch -p1` apply to the file. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, {
    context: 3,
  }).replace(/^=+\n/, '');
}

function apply(document: Document, change: DataMapChange, file: string): void {
  if (change.kind === 'add_collection') {
    const system = systemNode(document, change.system);
    const collection = document.createNode({
      ...(system ? {} : { system: change.system }),
      name: change.collection.name,
      ...(change.collection.schema ? { schema: change.collection.schema } : {}),
      ...(change.collection.files ? { files: change.collection.files } : {}),
      primaryKey: change.collection.primaryKey,
      review: true,
      fields: change.collection.fields,
    }) as YAMLMap;
    flowFields(collection);
    collection.commentBefore =
      ' Proposed by steward discover: confirm categories, add identities and erasure, remove review.';
    seqIn(document, system ?? (document.contents as YAMLMap), 'collections').items.push(collection);
    return;
  }
  const collection = collectionNode(document, change.system, change.collection);
  if (!collection)
    throw new InvalidInput(
      'discovery.collection_not_in_file',
      `${file} does not declare ${change.system}.${change.collection}; the data map changed since discovery ran. Run it again.`,
      { file, collection: change.collection },
    );
  if (change.kind === 'add_field') {
    const field = document.createNode(change.field) as YAMLMap;
    field.flow = true;
    seqIn(document, collection, 'fields').items.push(field);
    return;
  }
  const fields = collection.get('fields');
  const field = isSeq(fields)
    ? (fields.items.find((item) => isMap(item) && item.get('name') === change.field) as YAMLMap | undefined)
    : undefined;
  if (!field)
    throw new InvalidInput(
      'discovery.field_not_in_file',
      `${file} does not declare ${change.collection}.${change.field}. Run discovery again.`,
      {
        file,
      },
    );
  const categories = document.createNode(change.categories) as YAMLSeq;
  categories.flow = true;
  field.set('categories', categories);
  field.set('review', true);
}

function systemNode(document: Document, id: string): YAMLMap | undefined {
  const systems = document.get('systems');
  if (!isSeq(systems)) return undefined;
  return systems.items.find((item) => isMap(item) && item.get('id') === id) as YAMLMap | undefined;
}

function collectionNode(document: Document, system: string, name: string): YAMLMap | undefined {
  const inSystem = systemNode(document, system)?.get('collections');
  const candidates = [
    ...(isSeq(inSystem) ? inSystem.items : []),
    ...(() => {
      const detached = document.get('collections');
      return isSeq(detached)
        ? detached.items.filter((item) => isMap(item) && item.get('system') === system)
        : [];
    })(),
  ];
  return candidates.find((item) => isMap(item) && item.get('name') === name) as YAMLMap | undefined;
}

/** The sequence under `key`, created (block style) when absent. */
function seqIn(document: Document, parent: YAMLMap, key: string): YAMLSeq {
  const existing = parent.get(key);
  if (isSeq(existing)) {
    // `fields: []` becomes a block list; a non-empty flow list keeps the author's style.
    if (!existing.items.length) existing.flow = false;
    return existing;
  }
  const created = document.createNode([]) as YAMLSeq;
  parent.set(key, created);
  return created;
}

function flowFields(collection: YAMLMap): void {
  const primaryKey = collection.get('primaryKey');
  if (isSeq(primaryKey)) primaryKey.flow = true;
  const files = collection.get('files');
  if (isMap(files)) files.flow = true;
  const fields = collection.get('fields');
  if (isSeq(fields)) for (const field of fields.items) if (isMap(field)) field.flow = true;
}
