import { resolve } from 'node:path';
import type { StewardConfig } from '../../../app/config/config-schema.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { demoShopDataMapPath } from './demo-shop-datamap.ts';

/** The demo shop's system id in its data map (shop-datamap.yaml). */
export const DEMO_SHOP_SYSTEM = 'shop';

export interface DemoShopSettings {
  dataDir: string;
  people: number;
}

/**
 * The demo shop's directory and size from steward.yaml. The shop must live apart from Steward's own
 * embedded database: re-seeding deletes its directory.
 */
export function demoShopSettings(config: Pick<StewardConfig, 'demo' | 'database'>): DemoShopSettings {
  const dataDir = resolve(config.demo.dataDir);
  const own = resolve(config.database.dataDir);
  if (
    !config.database.url &&
    (dataDir === own || own.startsWith(`${dataDir}/`) || dataDir.startsWith(`${own}/`))
  ) {
    throw new InvalidInput(
      'demo.data_dir_overlaps_database',
      `demo.dataDir (${dataDir}) overlaps database.dataDir (${own}). Give the demo shop its own folder, e.g. ./.steward/demo-shop.`,
      { dataDir, databaseDataDir: own },
    );
  }
  return { dataDir, people: config.demo.people };
}

/**
 * The data-map files the demo adds to the user's own (`datamap.path`) when it is enabled: the shop's
 * map, written beside the shop by `ensureDemoShop`. Empty when the demo is off.
 */
export function demoDataMapPaths(config: Pick<StewardConfig, 'demo' | 'database'>): string[] {
  return config.demo.enabled ? [demoShopDataMapPath(demoShopSettings(config).dataDir)] : [];
}
