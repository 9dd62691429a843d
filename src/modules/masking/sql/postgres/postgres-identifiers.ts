import type { CatalogTable } from '../../core/source-catalog.ts';

/** A PostgreSQL identifier, always quoted (names keep their case and may be keywords). */
export function quotePg(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedPg(table: Pick<CatalogTable, 'schema' | 'name'>): string {
  return `${quotePg(table.schema)}.${quotePg(table.name)}`;
}

export function pgColumnList(columns: readonly string[]): string {
  return columns.map(quotePg).join(', ');
}
