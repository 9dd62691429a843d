/** At most this many distinct paths per JSON column, and this deep: enough for real payloads. */
const MAX_PATHS = 200;
const MAX_DEPTH = 6;

/**
 * The leaf values of sampled JSON documents grouped by path (`contact.email`, arrays as
 * `phones[]`), as text, so each path can be classified like a column.
 */
export function valuesByJsonPath(documents: readonly unknown[]): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, `${path}[]`, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      if (depth >= MAX_DEPTH) return;
      for (const [key, child] of Object.entries(value))
        visit(child, path ? `${path}.${key}` : key, depth + 1);
      return;
    }
    if (!path) return;
    let values = paths.get(path);
    if (!values) {
      if (paths.size >= MAX_PATHS) return;
      values = [];
      paths.set(path, values);
    }
    values.push(String(value));
  };
  for (const document of documents) visit(parseIfJson(document), '', 0);
  return paths;
}

/** JSON arrives parsed from PostgreSQL and MySQL, as text from MariaDB (LONGTEXT). */
export function parseIfJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** The last key of a path, which is what names the value: `contact.email` → `email`. */
export function lastKey(path: string): string {
  return path.split('.').at(-1)!.replace(/\[\]$/g, '');
}
