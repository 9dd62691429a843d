import type { ShopSql } from './shop-database.ts';
import { SHOP_COLUMNS, type ShopRows } from './shop-rows.ts';
import { SHOP_TABLES } from './shop-schema.ts';

/**
 * Loads a batch of generated rows table by table in dependency order, one statement per table:
 * the batch travels as one JSON parameter that PostgreSQL turns into typed rows
 * (json_populate_recordset), instead of one round trip per row.
 */
export async function loadShopRows(client: ShopSql, rows: ShopRows): Promise<number> {
  let loaded = 0;
  for (const table of SHOP_TABLES) {
    const tableRows = rows[table] as readonly object[];
    if (tableRows.length === 0) continue;
    const columns = (SHOP_COLUMNS[table] as readonly string[]).join(', ');
    await client.query(
      `insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, $1::json)`,
      [JSON.stringify(tableRows)],
    );
    loaded += tableRows.length;
  }
  return loaded;
}
