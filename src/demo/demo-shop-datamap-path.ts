import { fileURLToPath } from 'node:url';

/**
 * The demo shop's data map, next to this module (`npm run build` copies it into dist/ with the
 * other non-TypeScript files under src/).
 */
export const DEMO_SHOP_DATAMAP_PATH = fileURLToPath(new URL('./shop-datamap.yaml', import.meta.url));
