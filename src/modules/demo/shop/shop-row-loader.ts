import type { PGlite } from '@electric-sql/pglite';
import { SHOP_COLUMNS, type ShopRows } from './shop-rows.ts';
import { SHOP_TABLES } from './shop-schema.ts';

/**
 * Loads a batch of generated rows with COPY … FROM '/dev/blob' (PGlite's in-memory file), table by
 * table in dependency order: one statement per table instead of one round trip per row.
 */
export async function loadShopRows(pglite: Pick<PGlite, 'query'>, rows: ShopRows): Promise<number> {
  let loaded = 0;
  for (const table of SHOP_TABLES) {
    const tableRows = rows[table] as readonly object[];
    if (tableRows.length === 0) continue;
    const columns = SHOP_COLUMNS[table] as readonly string[];
    const csv = toCsv(tableRows as readonly Record<string, unknown>[], columns);
    await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], {
      blob: new Blob([csv]),
    });
    loaded += tableRows.length;
  }
  return loaded;
}

/** CSV where an unquoted empty field is NULL and every text is quoted (so '' stays an empty string). */
function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(columns.map((column) => csvField(row[column])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `"${String(value).replaceAll('"', '""')}"`;
}
