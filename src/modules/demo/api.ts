/**
 * What other code may use of the demo module: its contributions to the data map and to retention
 * (the shop's data map and flow), the shop's connection, and the start-up steps of `serve --demo`.
 */
export {
  demoDataMapPaths,
  demoFlowFiles,
  useDemoShopConnection,
  DEMO_SHOP_FLOW,
  DEMO_SHOP_SYSTEM,
} from './shop/demo-shop-settings.ts';
export { prepareDemoShop } from './shop/prepare-demo-shop.ts';
export { ensureDemoShop, type DemoShopSummary } from './shop/ensure-demo-shop.ts';
export { ensureDemoOwnerKey, type DemoOwnerKey } from './demo-owner-key.ts';
export type { DemoConfig } from './config-schema.ts';
