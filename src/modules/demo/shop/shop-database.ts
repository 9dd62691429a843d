import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDirectory } from '../../../kernel/database/embedded-lock.ts';
import { Conflict, Unavailable } from '../../../kernel/errors/domain-error.ts';
import { SEED_MARKER_TABLE, SHOP_TABLES, type ShopTable } from './shop-schema.ts';

/** The file that tells Steward a directory is a demo shop it may delete and re-create. */
const IDENTITY_FILE = 'steward-demo-shop.json';

export type ShopCounts = Record<ShopTable, number>;

/** What the marker row says about a completed seed. */
export interface SeedMarker {
  seedVersion: number;
  seed: number;
  people: number;
  referenceDate: string;
  completedAt: string;
}

/** The open shop database: the raw PGlite handle, and `close()` which also releases the lock. */
export interface OpenShop {
  pglite: PGlite;
  close(): Promise<void>;
}

/**
 * Opens the shop's PGlite directory under the embedded-database lock, so no other process opens it
 * while we do. The caller must close it: a connector opens the same directory afterwards.
 */
export async function openShopDatabase(dataDir: string): Promise<OpenShop> {
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockShop(dataDir);
  try {
    const pglite = await PGlite.create({ dataDir });
    return {
      pglite,
      async close() {
        try {
          await pglite.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw new Unavailable(
      'demo.open_failed',
      `Cannot open the demo shop database in ${dataDir}: ${(error as Error).message}`,
      { dataDir },
      { cause: error },
    );
  }
}

function lockShop(dataDir: string): () => void {
  try {
    return lockDataDirectory(dataDir);
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    const pid = error.details?.pid;
    throw new Conflict(
      'demo.shop_in_use',
      `The demo shop in ${dataDir} is open in process ${String(pid)} (a running \`steward serve --demo\`?). Stop that process first.`,
      { dataDir, pid },
    );
  }
}

export function markAsDemoShop(dataDir: string, seedVersion: number): void {
  writeFileSync(
    join(dataDir, IDENTITY_FILE),
    `${JSON.stringify({ kind: 'steward-demo-shop', seedVersion }, null, 2)}\n`,
  );
}

/** True only for directories Steward created for the demo shop (never for a user's database). */
export function isDemoShopDirectory(dataDir: string): boolean {
  try {
    const identity = JSON.parse(readFileSync(join(dataDir, IDENTITY_FILE), 'utf8')) as { kind?: unknown };
    return identity.kind === 'steward-demo-shop';
  } catch {
    return false;
  }
}

/** The marker of a completed seed, or undefined when the seed never finished. */
export async function readSeedMarker(pglite: PGlite): Promise<SeedMarker | undefined> {
  const table = await pglite.query<{ present: boolean }>(
    `select to_regclass('public.${SEED_MARKER_TABLE}') is not null as present`,
  );
  if (!table.rows[0]?.present) return undefined;
  const marker = await pglite.query<{
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

export async function countShopRows(pglite: PGlite): Promise<ShopCounts> {
  const selects = SHOP_TABLES.map(
    (table) => `select '${table}' as name, count(*)::int as n from ${table}`,
  ).join(' union all ');
  const result = await pglite.query<{ name: ShopTable; n: number }>(selects);
  const counts = Object.fromEntries(SHOP_TABLES.map((table) => [table, 0])) as ShopCounts;
  for (const row of result.rows) counts[row.name] = row.n;
  return counts;
}
