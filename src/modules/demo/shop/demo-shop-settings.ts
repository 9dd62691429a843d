import { fileURLToPath } from 'node:url';
import type { DemoConfig } from '../config-schema.ts';
import { DEMO_SHOP_DATAMAP, DEMO_SHOP_URL_VARIABLE } from './demo-shop-datamap.ts';
import { databaseUrl } from './shop-database.ts';

/** The demo shop's system id in its data map (shop-datamap.yaml). */
export const DEMO_SHOP_SYSTEM = 'shop';

/**
 * The data-map files the demo adds to the user's own (`datamap.path`) when it is enabled: the shop's
 * map as shipped. Empty when the demo is off.
 */
export function demoDataMapPaths(config: { demo: DemoConfig }): string[] {
  return config.demo.enabled ? [DEMO_SHOP_DATAMAP] : [];
}

/** The demo shop's retention flow, shipped beside its data map. */
export const DEMO_SHOP_FLOW = fileURLToPath(new URL('./shop-retention-flow.yaml', import.meta.url));

/** The flow files the demo adds to retention's when it is enabled. */
export function demoFlowFiles(config: { demo: DemoConfig }): string[] {
  return config.demo.enabled ? [DEMO_SHOP_FLOW] : [];
}

/**
 * The shop lives in the database `demo.database` on Steward's own server: this process's connector
 * finds it through the data map's `env:STEWARD_DEMO_SHOP_URL`, set here from Steward's own URL (the
 * application name is dropped, so the shop's connections are not counted as Steward's).
 */
export function useDemoShopConnection(config: { demo: DemoConfig }, stewardUrl: string): void {
  if (!config.demo.enabled) return;
  const url = new URL(databaseUrl(stewardUrl, config.demo.database));
  url.searchParams.delete('application_name');
  process.env[DEMO_SHOP_URL_VARIABLE] = url.toString();
}
