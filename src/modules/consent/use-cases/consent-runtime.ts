import type { ConsentConfig } from '../config-schema.ts';
import type { TaxonomyConfig } from '../../../platform/taxonomy/taxonomy-config-schema.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';
import type { Logger } from '../../../kernel/logging/logger.ts';
import { createTaxonomy, type Taxonomy } from '../../../platform/taxonomy/taxonomy.ts';
import { ConsentCache } from './consent-cache.ts';
import { listenForConsentChanges } from './consent-change-listener.ts';
import { proofKeySource, type ProofKeySource } from './consent-proof.ts';

/** The consent domain's long-lived objects, one per process (created in createServices). */
export interface ConsentRuntime {
  cache: ConsentCache;
  taxonomy: Taxonomy;
  proofKey: ProofKeySource;
  /** Stops listening for changes (the cache is bypassed from then on). */
  close(): Promise<void>;
}

export async function createConsentRuntime(
  config: { consent: ConsentConfig; taxonomy: TaxonomyConfig },
  database: StewardDatabase<ConsentDatabase>,
  logger: Logger,
  resolveSecret: (reference: string, tenantId: string) => Promise<string>,
): Promise<ConsentRuntime> {
  const cache = new ConsentCache(config.consent.cache);
  const listener = await listenForConsentChanges(database, cache, logger);
  const reference = config.consent.proofKey;
  return {
    cache,
    taxonomy: createTaxonomy(config.taxonomy),
    proofKey: proofKeySource((tenantId) => (reference ? resolveSecret(reference, tenantId) : undefined)),
    close: () => listener.close(),
  };
}
