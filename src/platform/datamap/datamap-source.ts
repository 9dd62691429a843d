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
    const problems = document.errors.map((error) =>
      // The parser reports its own stack overflow (a file nested thousands of levels) as a syntax error.
      /Maximum call stack/.test(error.message)
        ? tooDeep(file, lineCounter.linePos(error.pos[0]).line)
        : {
            severity: 'error' as const,
            code: 'datamap.yaml_syntax',
            file,
            line: lineCounter.linePos(error.pos[0]).line,
            path: '',
            message: error.message.split('\n')[0] ?? 'YAML syntax error',
            fix: 'correct the YAML syntax at that line',
          },
    );
    const firstTooDeep = problems.findIndex((p) => p.code === 'datamap.too_deep');
    return {
      problems: problems.filter((p, index) => p.code !== 'datamap.too_deep' || index === firstTooDeep),
    };
  }
  let value: unknown;
  try {
    // Aliases expanding into millions of nodes (a "billion laughs" file) are refused by the parser here.
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    return {
      problems: [
        error instanceof RangeError
          ? tooDeep(file, 1)
          : {
              severity: 'error' as const,
              code: 'datamap.yaml_aliases',
              file,
              line: 1,
              path: '',
              message: `the file's aliases (*name) expand into more than ${MAX_ALIAS_COUNT} copies, the pattern of a resource-exhaustion attack`,
              fix: 'write the repeated values out, or use fewer aliases',
            },
      ],
    };
  }
  if (depthOf(value) > MAX_DEPTH) return { problems: [tooDeep(file, 1)] };
  return {
    source: { file, value, lineOf: (path) => lineOf(document, lineCounter, path) },
    problems: [],
  };
}

/** Aliases a data map may expand; a real one needs a handful. */
const MAX_ALIAS_COUNT = 100;
/** Nesting a data map may have; a real one is about ten levels deep, and the checks that follow recurse. */
const MAX_DEPTH = 64;

function tooDeep(file: string, line: number): DataMapProblem {
  return {
    severity: 'error',
    code: 'datamap.too_deep',
    file,
    line,
    path: '',
    message: `the file nests deeper than ${MAX_DEPTH} levels`,
    fix: 'a data map is about ten levels deep: systems, collections, fields and their settings; remove the extra nesting',
  };
}

/** The deepest nesting of a parsed value, measured without recursion. */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const item of Array.isArray(value) ? value : Object.values(value)) stack.push([item, depth + 1]);
  }
  return deepest;
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
