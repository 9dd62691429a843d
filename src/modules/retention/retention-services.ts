import type { RetentionDatabase } from './store/retention-database.ts';
import type { OwnDataPeriods } from '../../kernel/module.ts';
import type { PlatformConfig, PlatformServices } from '../../platform/platform-services.ts';
import type { RetentionConfig } from './config-schema.ts';

/** What the retention module's adapters and use cases get. */
export interface RetentionServices extends PlatformServices<RetentionDatabase> {
  config: PlatformConfig & { retention: RetentionConfig };
  /** Flow files other modules add to `retention.flowsPath` (the demo shop's flow). */
  retentionFlowFiles: readonly string[];
  /** Every module's purge of its own records (their manifests' `ownDataRetention`), bound by the app. */
  ownDataPurgers: readonly OwnDataPurger[];
}

/** One module's own-data purge with its services bound. */
export interface OwnDataPurger {
  module: string;
  purge(options: {
    dryRun: boolean;
    now: Date;
    periods: OwnDataPeriods;
    actor: { kind: 'system'; id: string };
  }): Promise<Record<string, number>>;
}
