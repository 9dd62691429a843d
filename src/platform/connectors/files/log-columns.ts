import { InvalidInput } from '../../../kernel/errors/domain-error.ts';

/**
 * What a column of a `files` collection names. Lines are rows; their columns are:
 * - `$line`: the line's text; `$file`: its file, relative to the system's directory; `$number`: its
 *   1-based line number in that file; `$time`: the time the line was written (see `line-time.ts`);
 * - `pii:<type>` (e.g. `pii:email`): every value of that PII type the detector finds in the line;
 * - anything else (jsonl only): a JSON path such as `user.email`, `$.user.email` or `tags[0]`.
 */
export type LogColumn =
  | { kind: 'line' }
  | { kind: 'file' }
  | { kind: 'number' }
  | { kind: 'time' }
  | { kind: 'detected'; type: string }
  | { kind: 'path'; path: (string | number)[] };

const PSEUDO: Record<string, LogColumn> = {
  $line: { kind: 'line' },
  $file: { kind: 'file' },
  $number: { kind: 'number' },
  $time: { kind: 'time' },
};

/** Parses a column name; the format decides whether JSON paths are allowed. */
export function parseLogColumn(name: string, format: 'jsonl' | 'text', collection: string): LogColumn {
  const pseudo = PSEUDO[name];
  if (pseudo) return pseudo;
  if (name.startsWith('pii:') && name.length > 4) return { kind: 'detected', type: name.slice(4) };
  if (format === 'text') {
    throw new InvalidInput(
      'connector.files_bad_column',
      `Collection ${collection} holds plain-text lines: field "${name}" is neither $line, $file, $number, $time nor a detector column such as pii:email.`,
      { collection, field: name },
    );
  }
  return { kind: 'path', path: parseJsonPath(name, collection) };
}

/** `a.b[2].c` or `$.a.b` → ['a', 'b', 2, 'c']; keys with dots can be quoted: `a["x.y"]`. */
export function parseJsonPath(name: string, collection: string): (string | number)[] {
  const text = name.startsWith('$.') ? name.slice(2) : name;
  const path: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|(\.)/gy;
  let match: RegExpExecArray | null;
  let expectKey = true;
  let end = 0;
  while ((match = pattern.exec(text))) {
    end = pattern.lastIndex;
    if (match[4] !== undefined) {
      if (expectKey) break;
      expectKey = true;
      continue;
    }
    if (match[1] !== undefined && !expectKey) break;
    path.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[3]!));
    expectKey = false;
  }
  if (!path.length || end !== text.length || expectKey) {
    throw new InvalidInput(
      'connector.files_bad_path',
      `Collection ${collection}: "${name}" is not a JSON path. Write it as user.email, $.user.email or items[0].id.`,
      { collection, field: name },
    );
  }
  return path;
}
