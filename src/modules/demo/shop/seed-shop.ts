import { countShopRows, type ShopCounts, type ShopSql } from './shop-database.ts';
import { loadShopRows } from './shop-row-loader.ts';
import {
  restartIdentitiesSql,
  SEED_MARKER_TABLE,
  SHOP_SCHEMA_SQL,
  SHOP_SEED_VERSION,
} from './shop-schema.ts';
import { generateShopRows, type ShopSeedOptions } from './shop-seed-generator.ts';

/**
 * Creates the shop schema in an EMPTY database and fills it. The marker row is written last, in
 * its own statement after every row is in, so a database without it is an unfinished seed.
 */
export async function seedShop(
  client: ShopSql,
  options: ShopSeedOptions,
  onBatch?: (peopleDone: number) => void,
): Promise<{ counts: ShopCounts; completedAt: string }> {
  await client.query(SHOP_SCHEMA_SQL);
  for (const batch of generateShopRows(options)) {
    await loadShopRows(client, batch.rows);
    onBatch?.(batch.peopleDone);
  }
  await client.query(restartIdentitiesSql());
  const counts = await countShopRows(client);
  const marker = await client.query<{ completed_at: Date }>(
    `insert into ${SEED_MARKER_TABLE} (seed_version, seed, people, reference_date, row_counts, completed_at) values ($1, $2, $3, $4, $5, now()) returning completed_at`,
    [SHOP_SEED_VERSION, options.seed, options.people, options.referenceDate, JSON.stringify(counts)],
  );
  return { counts, completedAt: marker.rows[0]?.completed_at.toISOString() ?? new Date().toISOString() };
}
