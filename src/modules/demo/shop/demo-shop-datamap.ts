import { fileURLToPath } from 'node:url';

/**
 * The demo shop's data map as shipped, next to this module (`npm run build` copies the non-TypeScript
 * files under src/ into dist/). Its connection is `env:STEWARD_DEMO_SHOP_URL`, which
 * `useDemoShopConnection` sets in every process that runs with the demo.
 */
export const DEMO_SHOP_DATAMAP = fileURLToPath(new URL('./shop-datamap.yaml', import.meta.url));

/** The environment variable the shop's data map reads its connection URL from. */
export const DEMO_SHOP_URL_VARIABLE = 'STEWARD_DEMO_SHOP_URL';
