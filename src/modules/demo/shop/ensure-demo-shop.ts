import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lockDataDirectory } from '../../../kernel/database/embedded-lock.ts';
import { Conflict } from '../../../kernel/errors/domain-error.ts';
import { writeDemoShopDataMap } from './demo-shop-datamap.ts';
import { seedShop } from './seed-shop.ts';
import {
  countShopRows,
  isDemoShopDirectory,
  markAsDemoShop,
  openShopDatabase,
  readSeedMarker,
  type SeedMarker,
  type ShopCounts,
} from './shop-database.ts';
import { SHOP_SEED_VERSION } from './shop-schema.ts';
import { DEFAULT_SHOP_SEED } from './shop-seed-generator.ts';

/** The pid file `lockDataDirectory` writes; kept while the rest of a staging directory is wiped. */
const LOCK_FILE = 'steward.pid';

export interface EnsureDemoShopOptions {
  /** The shop's PGlite directory (config `demo.dataDir`). */
  dataDir: string;
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
  dataDir: string;
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
  /** The data map (Steward's format) of the shop's tables and fields, pointing at `dataDir`. */
  dataMapPath: string;
}

/**
 * Makes sure a complete demo shop exists in `dataDir` and returns what is in it. The first call
 * seeds one; later calls reuse it. Seeding happens in a sibling staging directory that is renamed
 * into place only once the seed marker is written, so `dataDir` never holds a half-seeded shop; a
 * staging directory left by a crash is wiped and the seed redone from scratch. Every database
 * handle is closed (and its lock released) before this returns.
 */
export async function ensureDemoShop(options: EnsureDemoShopOptions): Promise<DemoShopSummary> {
  const dataDir = resolve(options.dataDir);
  const wanted = { seed: options.seed ?? DEFAULT_SHOP_SEED, people: options.people };
  const report = options.onProgress ?? (() => {});
  report({ phase: 'checking' });

  let reason = 'no demo shop yet';
  let outcome: DemoShopSummary['outcome'] = 'created';
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    assertDemoShopDirectory(dataDir);
    const existing = await inspectShop(dataDir);
    const problem = options.reset ? 'a reset was requested' : describeMismatch(existing?.marker, wanted);
    if (!problem && existing) return summary(dataDir, 'reused', undefined, existing.marker, existing.counts);
    reason = problem ?? 'the existing shop is unusable';
    outcome = 'recreated';
  }

  report({ phase: 'creating', reason });
  const wantedMarker = {
    seedVersion: SHOP_SEED_VERSION,
    seed: wanted.seed,
    people: wanted.people,
    referenceDate: options.referenceDate ?? new Date().toISOString().slice(0, 10),
  };
  const staging = `${dataDir}.seeding`;
  const { counts, completedAt } = await seedInStaging(staging, wantedMarker, (peopleDone) =>
    report({ phase: 'seeding', peopleDone, people: wanted.people }),
  );
  // Only now is the old shop removed: until the new one is complete, the old one stays usable.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dirname(dataDir), { recursive: true });
  renameSync(staging, dataDir);
  report({ phase: 'done' });
  return summary(dataDir, outcome, reason, { ...wantedMarker, completedAt }, counts);
}

async function seedInStaging(
  staging: string,
  marker: Omit<SeedMarker, 'completedAt'>,
  onBatch: (peopleDone: number) => void,
): Promise<{ counts: ShopCounts; completedAt: string }> {
  // The lock is taken before anything is wiped: a live process seeding the same shop makes this
  // fail with Conflict instead of both writing one directory. Whatever a dead process left there
  // is an unfinished seed (a finished one is renamed away), so it is wiped and seeding starts over.
  mkdirSync(staging, { recursive: true });
  const unlock = lockStaging(staging);
  try {
    for (const entry of readdirSync(staging)) {
      if (entry !== LOCK_FILE) rmSync(join(staging, entry), { recursive: true, force: true });
    }
    const shop = await openShopDatabase(staging);
    try {
      markAsDemoShop(staging, marker.seedVersion);
      return await seedShop(
        shop.pglite,
        { seed: marker.seed, people: marker.people, referenceDate: marker.referenceDate },
        onBatch,
      );
    } finally {
      await shop.close();
    }
  } finally {
    unlock();
  }
}

function lockStaging(staging: string): () => void {
  try {
    return lockDataDirectory(staging);
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    throw new Conflict(
      'demo.seeding_in_progress',
      `Another Steward process is creating the demo shop in ${staging}. Wait for it to finish, or stop it.`,
      error.details,
    );
  }
}

/** The existing shop's marker and row counts; undefined when its seed never completed or it cannot be opened. */
async function inspectShop(dataDir: string): Promise<{ marker: SeedMarker; counts: ShopCounts } | undefined> {
  let shop;
  try {
    shop = await openShopDatabase(dataDir);
  } catch (error) {
    if (error instanceof Conflict) throw error;
    // A directory PGlite cannot open (a crash while writing it): replace it.
    return undefined;
  }
  try {
    const marker = await readSeedMarker(shop.pglite);
    return marker ? { marker, counts: await countShopRows(shop.pglite) } : undefined;
  } finally {
    await shop.close();
  }
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

function assertDemoShopDirectory(dataDir: string): void {
  if (isDemoShopDirectory(dataDir)) return;
  throw new Conflict(
    'demo.data_dir_not_a_shop',
    `${dataDir} is not empty and was not created by Steward for the demo shop, so Steward will not touch it. Point demo.dataDir at an empty or new folder.`,
    { dataDir },
  );
}

function summary(
  dataDir: string,
  outcome: DemoShopSummary['outcome'],
  reason: string | undefined,
  marker: SeedMarker,
  counts: ShopCounts,
): DemoShopSummary {
  return {
    dataDir,
    outcome,
    ...(reason ? { reason } : {}),
    seedVersion: marker.seedVersion,
    seed: marker.seed,
    people: marker.people,
    referenceDate: marker.referenceDate,
    seededAt: marker.completedAt,
    counts,
    dataMapPath: writeDemoShopDataMap(dataDir),
  };
}
