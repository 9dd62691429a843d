import pg from 'pg';
import { SEED_MARKER_TABLE, SHOP_TABLES, type ShopTable } from './shop-schema.ts';

/** The comment Steward puts on a database it created for the demo shop, and the only kind it may drop. */
export const DEMO_SHOP_COMMENT = 'steward-demo-shop';

export type ShopCounts = Record<ShopTable, number>;

/** What the marker row says about a completed seed. */
export interface SeedMarker {
  seedVersion: number;
  seed: number;
  people: number;
  referenceDate: string;
  completedAt: string;
}

/** The part of a pg client the shop code uses. */
export type ShopSql = Pick<pg.ClientBase, 'query'>;

/** `serverUrl` with its database replaced by `database` (same server, user and options). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Runs `work` on one connection to `url` and closes it, whatever happens. */
export async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A connection ended by the server (a reset dropping the database WITH (FORCE)) is not a crash.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The marker of a completed seed, or undefined when the seed never finished. */
export async function readSeedMarker(client: ShopSql): Promise<SeedMarker | undefined> {
  const table = await client.query<{ present: boolean }>(
    `select to_regclass('public.${SEED_MARKER_TABLE}') is not null as present`,
  );
  if (!table.rows[0]?.present) return undefined;
  const marker = await client.query<{
    seed_version: number;
    seed: number;
    people: number;
    reference_date: string;
    completed_at: Date;
  }>(
    `select seed_version, seed, people, reference_date::text as reference_date, completed_at from ${SEED_MARKER_TABLE} limit 1`,
  );
  const row = marker.rows[0];
  if (!row) return undefined;
  return {
    seedVersion: row.seed_version,
    seed: row.seed,
    people: row.people,
    referenceDate: row.reference_date,
    completedAt: row.completed_at.toISOString(),
  };
}

export async function countShopRows(client: ShopSql): Promise<ShopCounts> {
  const selects = SHOP_TABLES.map(
    (table) => `select '${table}' as name, count(*)::int as n from ${table}`,
  ).join(' union all ');
  const result = await client.query<{ name: ShopTable; n: number }>(selects);
  const counts = Object.fromEntries(SHOP_TABLES.map((table) => [table, 0])) as ShopCounts;
  for (const row of result.rows) counts[row.name] = row.n;
  return counts;
}
