import type { DemoConfig } from '../config-schema.ts';
import type { Logger } from '../../../kernel/logging/logger.ts';
import { useDemoShopConnection } from './demo-shop-settings.ts';
import { ensureDemoShop, type DemoShopSummary } from './ensure-demo-shop.ts';

/**
 * Start-up step of `steward serve --demo`: makes sure the demo shop exists on Steward's own server
 * before the data map is loaded. Logs table counts only, never rows.
 */
export async function prepareDemoShop(
  config: { demo: DemoConfig },
  stewardUrl: string,
  logger: Logger,
): Promise<DemoShopSummary> {
  const started = Date.now();
  const shop = await ensureDemoShop({
    serverUrl: stewardUrl,
    database: config.demo.database,
    people: config.demo.people,
    onProgress: (progress) => {
      if (progress.phase === 'creating')
        logger.info({ database: config.demo.database, reason: progress.reason }, 'creating the demo shop');
    },
  });
  useDemoShopConnection(config, stewardUrl);
  logger.info(
    { database: shop.database, outcome: shop.outcome, counts: shop.counts, ms: Date.now() - started },
    shop.outcome === 'reused' ? 'demo shop reused' : 'demo shop seeded',
  );
  return shop;
}
