import pg from 'pg';
import type { StewardDatabase } from '../db/open-database.ts';
import type { Logger } from '../logging/logger.ts';
import type { ConsentCache } from './consent-cache.ts';
import { CONSENT_CHANNEL } from './consent-notifications.ts';

export interface ConsentChangeListener {
  close(): Promise<void>;
}

/**
 * Keeps the cache in step with changes committed by any process: LISTEN on a dedicated PostgreSQL
 * connection (reconnecting with backoff, the cache bypassed while disconnected and cleared on
 * reconnect), or PGlite's in-process notifications on the embedded database.
 */
export async function listenForConsentChanges(database: StewardDatabase, cache: ConsentCache, logger: Logger): Promise<ConsentChangeListener> {
  const apply = (payload: string | undefined) => applyNotification(cache, payload);
  if (database.kind === 'pglite') {
    const unsubscribe = await database.pglite!.listen(CONSENT_CHANNEL, apply);
    cache.reliable = true;
    return {
      async close() {
        cache.reliable = false;
        await unsubscribe().catch(() => {});
      },
    };
  }
  return listenOnPostgres(database.url!, cache, apply, logger);
}

function applyNotification(cache: ConsentCache, payload: string | undefined): void {
  if (!payload) return cache.clear();
  const [kind, tenantId, key] = payload.split(':');
  if (kind === 's' && tenantId && key) cache.invalidateSubject(tenantId, key);
  else if (kind === 'n' && tenantId) cache.invalidateNotices(tenantId);
  else cache.clear();
}

async function listenOnPostgres(url: string, cache: ConsentCache, apply: (payload: string | undefined) => void, logger: Logger): Promise<ConsentChangeListener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'steward-consent-listener' });
    const lost = () => {
      cache.reliable = false;
      if (client === next) client = undefined;
      next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on('error', lost);
    next.on('end', () => {
      if (!closed && client === next) lost();
    });
    next.on('notification', (message) => {
      if (message.channel === CONSENT_CHANNEL) apply(message.payload);
    });
    await next.connect();
    await next.query(`LISTEN ${CONSENT_CHANNEL}`);
    client = next;
    attempt = 0;
    // Whatever changed while nobody listened is unknown: start from an empty cache.
    cache.clear();
    cache.reliable = true;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    const delay = Math.min(100 * 2 ** attempt++, 10_000);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((error: unknown) => {
        logger.warn({ err: error, attempt }, 'consent cache: cannot listen for changes; checks read the database until it can');
        scheduleReconnect();
      });
    }, delay);
  };

  try {
    await connect();
  } catch (error) {
    logger.warn({ err: error }, 'consent cache: cannot listen for changes; checks read the database until it can');
    scheduleReconnect();
  }

  return {
    async close() {
      closed = true;
      cache.reliable = false;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => {});
    },
  };
}
