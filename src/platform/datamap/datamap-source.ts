import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { DataMapProblem } from './datamap-problem.ts';

/** One data-map file, parsed, with what is needed to point an error at a line. */
export interface DataMapSource {
  file: string;
  /** The plain JS value of the document. */
  value: unknown;
  /** The line of a YAML path (or of its deepest existing ancestor). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Every data-map file under the given files or folders (folders recursively, sorted, hidden entries
 * skipped). A path that does not exist contributes nothing: a missing folder is an empty data map.
 */
export function listDataMapFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths.map((p) => resolve(p))) {
    if (!existsSync(path)) continue;
    if (statSync(path).isFile()) files.push(path);
    else files.push(...walk(path));
  }
  return [...new Set(files)];
}

function walk(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...walk(path));
    else if (YAML_EXTENSIONS.has(extname(entry.name))) found.push(path);
  }
  return found;
}

/** Parses one file's text; YAML syntax errors come back as problems with their line. */
export function parseDataMapSource(
  file: string,
  text: string,
): { source?: DataMapSource; problems: DataMapProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length) {
    const problems = document.errors.map((error) => ({
      severity: 'error' as const,
      code: 'datamap.yaml_syntax',
      file,
      line: lineCounter.linePos(error.pos[0]).line,
      path: '',
      message: error.message.split('\n')[0] ?? 'YAML syntax error',
      fix: 'correct the YAML syntax at that line',
    }));
    return { problems };
  }
  return {
    source: { file, value: document.toJS() ?? {}, lineOf: (path) => lineOf(document, lineCounter, path) },
    problems: [],
  };
}

export function readDataMapSource(file: string): { source?: DataMapSource; problems: DataMapProblem[] } {
  return parseDataMapSource(file, readFileSync(file, 'utf8'));
}

function lineOf(
  document: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      // The key's line is the line to edit, also when its value is a nested block.
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
      node = node.items[key];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number] } | null | undefined)?.range?.[0];
}

/** `['systems', 0, 'collections', 2]` → `systems[0].collections[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}
