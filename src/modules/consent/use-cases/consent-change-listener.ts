import { subscribeToChanges } from '../../../kernel/database/change-notifications.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';
import type { Logger } from '../../../kernel/logging/logger.ts';
import type { ConsentCache } from './consent-cache.ts';
import { CONSENT_CHANNEL } from '../core/consent-notifications.ts';

export interface ConsentChangeListener {
  close(): Promise<void>;
}

/**
 * Keeps the cache in step with changes committed by any process (src/db/change-notifications.ts):
 * the cache is bypassed while notifications are not being received and starts empty whenever
 * listening (re)starts.
 */
export async function listenForConsentChanges(
  database: StewardDatabase<ConsentDatabase>,
  cache: ConsentCache,
  logger: Logger,
): Promise<ConsentChangeListener> {
  const unsubscribe = await subscribeToChanges(database, logger, CONSENT_CHANNEL, {
    onNotification: (payload) => applyNotification(cache, payload),
    onListening(listening) {
      // Whatever changed while nobody listened is unknown: start from an empty cache.
      if (listening) cache.clear();
      cache.reliable = listening;
    },
  });
  return { close: unsubscribe };
}

function applyNotification(cache: ConsentCache, payload: string): void {
  if (!payload) return cache.clear();
  const [kind, tenantId, key] = payload.split(':');
  if (kind === 's' && tenantId && key) cache.invalidateSubject(tenantId, key);
  else if (kind === 'n' && tenantId) cache.invalidateNotices(tenantId);
  else cache.clear();
}
