/**
 * What discovery found, as plain serialisable data (STYLE.md §3): stored per run, compared run to
 * run, turned into data-map changes. Evidence says which signals fired and how many sampled values
 * matched — never a value.
 */
export type Evidence =
  | { signal: 'name'; token: string; weight: number }
  | { signal: 'values'; validator: string; matched: number; sampled: number }
  | { signal: 'text'; detector: string; matched: number; sampled: number }
  | { signal: 'neighbours'; columns: string[] }
  | { signal: 'type'; family: string };

export interface ColumnDiscovery {
  /** The column (or, inside a JSON column, the column it lives in). */
  field: string;
  /** Inside a JSON column: the path of the value, e.g. `contact.email` (arrays as `items[]`). */
  path?: string;
  /** The column type as the database spells it (`text` for JSON paths and log fields). */
  type: string;
  /** Best categories first; empty = no personal data found. */
  categories: string[];
  /** 0..1 for the first category. */
  confidence: number;
  evidence: Evidence[];
  /** Non-null values that were sampled. */
  sampled: number;
}

export interface CollectionDiscovery {
  name: string;
  schema?: string;
  primaryKey: string[];
  /** Rows (or lines) sampled. */
  sampledRows: number;
  /** How the rows were chosen: `tablesample`, `limit`, `key-windows`, `lines`, or `catalog` (none read). */
  strategy: string;
  columns: ColumnDiscovery[];
  /** files systems: the glob and format the collection would be declared with. */
  files?: { glob: string; format: 'jsonl' | 'text' };
}

export interface DiscoveryResult {
  system: string;
  kind: string;
  startedAt: string;
  durationMs: number;
  sampleSize: number;
  collections: CollectionDiscovery[];
}

/** The field name a column discovery is declared under in the data map (JSON paths: `column.path`). */
export function declaredName(column: Pick<ColumnDiscovery, 'field' | 'path'>): string {
  return column.path ? `${column.field}.${column.path}` : column.field;
}
