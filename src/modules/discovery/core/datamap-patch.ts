import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import {
  isMap,
  isScalar,
  isSeq,
  parse,
  parseDocument,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapChange } from './drift.ts';

/**
 * Applies proposed changes to the text of a data-map file. The changes are written into the text
 * where they go — a field's categories replaced in place, `review: true` and new fields added as
 * lines of their own — so every other byte of the file stays as its author wrote it and the diff
 * shows the proposal only (re-printing the whole document re-folded descriptions and re-spaced
 * every `[id]`). New collections go into the system's `collections` when the system is declared in
 * this file, else into the top-level `collections` with `system:`; new fields are written one per
 * line in flow style, `review: true`. A shape the text edits do not handle (a flow-style list of
 * fields, a block-style category list, no `collections` yet) is applied through the `yaml` Document
 * API instead, which keeps comments and key order but re-prints the document.
 */
export function applyDataMapChanges(text: string, changes: readonly DataMapChange[], file: string): string {
  const document = parseDocument(text);
  if (document.errors.length)
    throw new InvalidInput(
      'discovery.datamap_unparsable',
      `${file} is not valid YAML: fix it before applying changes.`,
      { file },
    );
  const spliced = spliceChanges(text, document, changes, file);
  for (const change of changes) apply(document, change, file);
  // The text edits are kept only when they mean exactly what the Document API's changes mean.
  if (spliced !== undefined && meansTheSame(spliced, document)) return spliced;
  return document.toString({ lineWidth: 0 });
}

function meansTheSame(text: string, document: Document): boolean {
  try {
    return isDeepStrictEqual(parse(text), document.toJS());
  } catch {
    return false;
  }
}

/** One text edit: replace `text[from, to)` with `insert`; `order` keeps edits at one place in sequence. */
interface Splice {
  from: number;
  to: number;
  insert: string;
  order: number;
}

/**
 * The changes as edits of the original text, or undefined when one of them needs the Document API.
 */
function spliceChanges(
  text: string,
  document: Document,
  changes: readonly DataMapChange[],
  file: string,
): string | undefined {
  const splices: Splice[] = [];
  for (const change of changes) {
    const edits = splicesFor(text, document, change, file);
    if (!edits) return undefined;
    for (const edit of edits) splices.push({ ...edit, order: splices.length });
  }
  // From the end backwards, so earlier offsets stay valid; at one offset the first edit ends first.
  splices.sort((a, b) => b.from - a.from || b.order - a.order);
  let result = text;
  for (const edit of splices) result = result.slice(0, edit.from) + edit.insert + result.slice(edit.to);
  return result;
}

function splicesFor(
  text: string,
  document: Document,
  change: DataMapChange,
  file: string,
): Omit<Splice, 'order'>[] | undefined {
  if (change.kind === 'add_collection') {
    const system = systemNode(document, change.system);
    const collections = (system ?? (document.contents as YAMLMap | null))?.get?.('collections', true);
    if (!isSeq(collections) || collections.flow || !collections.items.length) return undefined;
    const indent = columnOf(text, collections.range![0]);
    const entries: [string, unknown][] = [
      ...(system ? [] : [['system', change.system] as [string, unknown]]),
      ['name', change.collection.name],
      ...(change.collection.schema ? [['schema', change.collection.schema] as [string, unknown]] : []),
      ...(change.collection.files ? [['files', change.collection.files] as [string, unknown]] : []),
      ['primaryKey', change.collection.primaryKey],
      ['review', true],
    ];
    const pad = ' '.repeat(indent);
    const lines = [
      `${pad}# Proposed by steward discover: confirm categories, add identities and erasure, remove review.`,
      ...entries.map(([key, value], i) => `${pad}${i ? '  ' : '- '}${key}: ${flowText(value)}`),
      `${pad}  fields:`,
      ...change.collection.fields.map((field) => `${pad}    - ${flowText(field)}`),
    ];
    return [insertLines(text, collections.range![1], lines)];
  }
  const collection = collectionNode(document, change.system, change.collection);
  if (!collection) return undefined;
  const fields = collection.get('fields', true);
  if (!isSeq(fields) || fields.flow) return undefined;
  if (change.kind === 'add_field') {
    if (!fields.items.length) return undefined;
    const indent = columnOf(text, fields.range![0]);
    return [insertLines(text, fields.range![1], [`${' '.repeat(indent)}- ${flowText(change.field)}`])];
  }
  const field = fields.items.find((item) => isMap(item) && item.get('name') === change.field) as
    YAMLMap | undefined;
  if (!field) throw fieldNotInFile(file, change.collection, change.field);
  const edits: Omit<Splice, 'order'>[] = [];
  const categories = field.items.find((pair) => keyIs(pair, 'categories'));
  const categoriesText = flowText(change.categories);
  if (categories) {
    const value = categories.value as Node | null;
    if (!isSeq(value) || !value.flow) return undefined;
    edits.push({ from: value.range![0], to: value.range![1], insert: categoriesText });
  } else {
    const added = addPair(text, field, 'categories', categoriesText);
    if (!added) return undefined;
    edits.push(added);
  }
  const review = field.items.find((pair) => keyIs(pair, 'review'));
  if (!review) {
    const added = addPair(text, field, 'review', 'true');
    if (!added) return undefined;
    edits.push(added);
  } else if (!(isScalar(review.value) && review.value.value === true)) {
    const value = review.value as Node;
    edits.push({ from: value.range![0], to: value.range![1], insert: 'true' });
  }
  return edits;
}

/** `key: value` added to a map: before a flow map's closing brace, or as a line after a block map's last. */
function addPair(text: string, map: YAMLMap, key: string, value: string): Omit<Splice, 'order'> | undefined {
  const [start, end] = map.range!;
  if (map.flow) {
    const brace = text.lastIndexOf('}', end - 1);
    if (brace < start) return undefined;
    const at = text[brace - 1] === ' ' ? brace - 1 : brace;
    return { from: at, to: at, insert: `${map.items.length ? ', ' : ''}${key}: ${value}` };
  }
  return insertLines(text, end, [`${' '.repeat(columnOf(text, start))}${key}: ${value}`]);
}

/** Whole lines inserted at `offset`, the end of a block collection (a line's start, or the file's end). */
function insertLines(text: string, offset: number, lines: string[]): Omit<Splice, 'order'> {
  const newlineFirst = offset > 0 && text[offset - 1] !== '\n';
  return { from: offset, to: offset, insert: `${newlineFirst ? '\n' : ''}${lines.join('\n')}\n` };
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function keyIs(pair: Pair, key: string): boolean {
  return isScalar(pair.key) ? pair.key.value === key : pair.key === key;
}

/**
 * A value in flow style as data maps are usually formatted (Prettier's YAML style): `[a, b]`,
 * `{ name: email, review: true }`; scalars quoted only where YAML needs it.
 */
function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length
      ? `{ ${entries.map(([k, v]) => `${flowText(k)}: ${flowText(v)}`).join(', ')} }`
      : '{}';
  }
  const plain = stringify(value, { lineWidth: 0 }).trimEnd();
  // A plain scalar may not hold a flow indicator inside [] or {}: quote it there.
  return typeof value === 'string' && /^[^"'].*[,[\]{}]/.test(plain) ? JSON.stringify(value) : plain;
}

function fieldNotInFile(file: string, collection: string, field: string): InvalidInput {
  return new InvalidInput(
    'discovery.field_not_in_file',
    `${file} does not declare ${collection}.${field}. Run discovery again.`,
    { file },
  );
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
  if (!field) throw fieldNotInFile(file, change.collection, change.field);
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
