import type { StewardConfig } from '../../../app/config/config-schema.ts';
import type { Logger } from '../../../kernel/logging/logger.ts';
import { demoDataMapPaths, demoShopSettings } from './demo-shop-settings.ts';
import { ensureDemoShop, type DemoShopSummary } from './ensure-demo-shop.ts';

/**
 * Start-up step of `steward serve --demo`: makes sure the demo shop and its data map exist before
 * the data map is loaded. Logs table counts only, never rows.
 */
export async function prepareDemoShop(
  config: Pick<StewardConfig, 'demo' | 'database'>,
  logger: Logger,
): Promise<DemoShopSummary> {
  const settings = demoShopSettings(config);
  const started = Date.now();
  const shop = await ensureDemoShop({
    ...settings,
    onProgress: (progress) => {
      if (progress.phase === 'creating')
        logger.info({ dataDir: settings.dataDir, reason: progress.reason }, 'creating the demo shop');
    },
  });
  logger.info(
    {
      dataDir: shop.dataDir,
      outcome: shop.outcome,
      counts: shop.counts,
      dataMap: demoDataMapPaths(config),
      ms: Date.now() - started,
    },
    shop.outcome === 'reused' ? 'demo shop reused' : 'demo shop seeded',
  );
  return shop;
}
