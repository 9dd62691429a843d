import type { Logger } from '../kernel/logging/logger.ts';
import { seedDemoSystemConsents, type ConsentServices } from '../modules/consent/api.ts';
import {
  DEMO_SHOP_SYSTEM,
  ensureDemoOwnerKey,
  prepareDemoShop,
  type DemoConfig,
  type DemoOwnerKey,
} from '../modules/demo/api.ts';
import { seedGovernanceDemo, type GovernanceServices } from '../modules/governance/api.ts';
import type { DbHandle } from '../kernel/database/db-handle.ts';
import type { AuthDatabase } from '../platform/auth/store/auth-database.ts';

/**
 * `steward serve --demo`, before the services: the demo shop exists on Steward's own server (seeded
 * on the first start, reused after).
 */
export async function prepareDemoSystems(
  config: { demo: DemoConfig },
  stewardUrl: string,
  logger: Logger,
): Promise<void> {
  await prepareDemoShop(config, stewardUrl, logger);
}

/**
 * `steward serve --demo`, once the services exist: what the other modules hold about the shop on
 * the first start — notices and consents of its customers, the governance registers (processing
 * activities, a processor abroad, a DPIA, a closed breach) — and the newcomer's owner API key.
 * Later starts find them and write nothing.
 */
export async function seedDemoModules(
  services: ConsentServices & GovernanceServices & { database: { db: DbHandle<AuthDatabase> } },
  config: { demo: DemoConfig },
  logger: Logger,
): Promise<DemoOwnerKey | undefined> {
  logger.info(await seedDemoSystemConsents(services, DEMO_SHOP_SYSTEM), 'demo consents ready');
  if (await seedGovernanceDemo(services)) logger.info('demo governance registers seeded');
  return ensureDemoOwnerKey(services.database.db, config.demo.dataDir);
}
