import pg from 'pg';
import { Conflict } from '../../../kernel/errors/domain-error.ts';
import { DEMO_SHOP_DATAMAP } from './demo-shop-datamap.ts';
import {
  countShopRows,
  databaseUrl,
  DEMO_SHOP_COMMENT,
  readSeedMarker,
  withConnection,
  type SeedMarker,
  type ShopCounts,
} from './shop-database.ts';
import { DEFAULT_SHOP_SEED, SHOP_SEED_VERSION } from './shop-schema.ts';

export interface EnsureDemoShopOptions {
  /** Any database on the PostgreSQL server the shop lives on (Steward's own): shop databases are created from it. */
  serverUrl: string;
  /** The shop's database name (config `demo.database`). */
  database: string;
  /** Customers to seed (config `demo.people`). */
  people: number;
  /** Throw the existing shop away and seed a new one (`steward demo --reset`). */
  reset?: boolean;
  /** Defaults to the shop's fixed seed; tests pass their own to compare runs. */
  seed?: number;
  /** 'YYYY-MM-DD' the generated history ends at; defaults to today (UTC). */
  referenceDate?: string;
  onProgress?: (progress: DemoShopProgress) => void;
}

export type DemoShopProgress =
  | { phase: 'checking' }
  | { phase: 'creating'; reason: string }
  | { phase: 'seeding'; peopleDone: number; people: number }
  | { phase: 'done' };

export interface DemoShopSummary {
  database: string;
  /** Connection URL of the shop's database. */
  url: string;
  /** `created`: no shop before; `recreated`: an unusable or outdated one was replaced; `reused`: kept as is. */
  outcome: 'created' | 'recreated' | 'reused';
  /** Why a shop was (re)created, in words. */
  reason?: string;
  seedVersion: number;
  seed: number;
  people: number;
  referenceDate: string;
  seededAt: string;
  /** Rows per table now (after a reuse these include whatever erasures already removed). */
  counts: ShopCounts;
  /** The data map (Steward's format) of the shop's tables and fields. */
  dataMapPath: string;
}

/**
 * Makes sure a complete demo shop exists in the database `options.database` and returns what is in
 * it. The first call seeds one; later calls reuse it. Seeding happens in a staging database that is
 * renamed into place only once its seed marker is written, so the shop database never holds a
 * half-seeded shop; a staging database left by a crash is dropped and the seed redone. Processes
 * starting together serialise on an advisory lock. Only a database Steward marked as a demo shop is
 * ever dropped; a user's database of the same name is refused.
 */
export async function ensureDemoShop(options: EnsureDemoShopOptions): Promise<DemoShopSummary> {
  const wanted = { seed: options.seed ?? DEFAULT_SHOP_SEED, people: options.people };
  const report = options.onProgress ?? (() => {});
  const shopUrl = databaseUrl(options.serverUrl, options.database);
  report({ phase: 'checking' });
  return withConnection(options.serverUrl, async (admin) => {
    const lockKey = `steward.demo-shop:${options.database}`;
    await admin.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      let reason = 'no demo shop yet';
      let outcome: DemoShopSummary['outcome'] = 'created';
      const existing = await describeDatabase(admin, options.database);
      if (existing) {
        if (!existing.ours && !(await isEmpty(shopUrl))) throw notAShop(options.database);
        const shop = await inspectShop(shopUrl);
        const problem = options.reset ? 'a reset was requested' : describeMismatch(shop?.marker, wanted);
        if (!problem && shop) return summary(options, shopUrl, 'reused', undefined, shop.marker, shop.counts);
        reason = problem ?? 'the existing shop is unusable';
        outcome = 'recreated';
      }
      report({ phase: 'creating', reason });
      const marker = {
        seedVersion: SHOP_SEED_VERSION,
        seed: wanted.seed,
        people: wanted.people,
        referenceDate: options.referenceDate ?? new Date().toISOString().slice(0, 10),
      };
      const staging = `${options.database}__seeding`;
      await dropDatabase(admin, staging);
      await admin.query(`create database ${pg.escapeIdentifier(staging)}`);
      await admin.query(`comment on database ${pg.escapeIdentifier(staging)} is '${DEMO_SHOP_COMMENT}'`);
      // The generator (faker's locale data) loads only when a shop is seeded, not at every start.
      const { seedShop } = await import('./seed-shop.ts');
      const { counts, completedAt } = await withConnection(
        databaseUrl(options.serverUrl, staging),
        (client) =>
          seedShop(
            client,
            { seed: marker.seed, people: marker.people, referenceDate: marker.referenceDate },
            (peopleDone) => report({ phase: 'seeding', peopleDone, people: wanted.people }),
          ),
      );
      // Only now is the old shop removed: until the new one is complete, the old one stays usable.
      // FORCE ends the connections a running Steward holds on it; its pools reconnect to the new one.
      await dropDatabase(admin, options.database);
      await admin.query(
        `alter database ${pg.escapeIdentifier(staging)} rename to ${pg.escapeIdentifier(options.database)}`,
      );
      report({ phase: 'done' });
      return summary(options, shopUrl, outcome, reason, { ...marker, completedAt }, counts);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
    }
  });
}

async function describeDatabase(admin: pg.Client, database: string): Promise<{ ours: boolean } | undefined> {
  const result = await admin.query<{ comment: string | null }>(
    `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
    [database],
  );
  const row = result.rows[0];
  return row ? { ours: row.comment === DEMO_SHOP_COMMENT } : undefined;
}

async function isEmpty(url: string): Promise<boolean> {
  return withConnection(url, async (client) => {
    const result = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`,
    );
    return (result.rows[0]?.n ?? 0) === 0;
  });
}

async function dropDatabase(admin: pg.Client, database: string): Promise<void> {
  await admin.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
}

/** The existing shop's marker and row counts; undefined when its seed never completed. */
async function inspectShop(url: string): Promise<{ marker: SeedMarker; counts: ShopCounts } | undefined> {
  return withConnection(url, async (client) => {
    const marker = await readSeedMarker(client);
    return marker ? { marker, counts: await countShopRows(client) } : undefined;
  });
}

function describeMismatch(
  marker: SeedMarker | undefined,
  wanted: { seed: number; people: number },
): string | undefined {
  if (!marker) return 'the previous seed did not finish';
  if (marker.seedVersion !== SHOP_SEED_VERSION)
    return `the shop was seeded by an older version (${marker.seedVersion}, now ${SHOP_SEED_VERSION})`;
  if (marker.seed !== wanted.seed) return `the seed changed (${marker.seed} to ${wanted.seed})`;
  if (marker.people !== wanted.people) return `demo.people changed (${marker.people} to ${wanted.people})`;
  return undefined;
}

function notAShop(database: string): Conflict {
  return new Conflict(
    'demo.database_not_a_shop',
    `The database ${database} has tables and was not created by Steward for the demo shop, so Steward will not touch it. Set demo.database to another name.`,
    { database },
  );
}

function summary(
  options: EnsureDemoShopOptions,
  url: string,
  outcome: DemoShopSummary['outcome'],
  reason: string | undefined,
  marker: SeedMarker,
  counts: ShopCounts,
): DemoShopSummary {
  return {
    database: options.database,
    url,
    outcome,
    ...(reason ? { reason } : {}),
    seedVersion: marker.seedVersion,
    seed: marker.seed,
    people: marker.people,
    referenceDate: marker.referenceDate,
    seededAt: marker.completedAt,
    counts,
    dataMapPath: DEMO_SHOP_DATAMAP,
  };
}
