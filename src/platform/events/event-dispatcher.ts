import type { EventsDatabase } from './store/events-database.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import type { StewardSecrets } from '../secrets/steward-secrets.ts';
import { deliverPendingEvents, type DeliveryContext, type DeliveryRound } from './deliver-pending-events.ts';
import { eventDeliveryStatus, type EventDeliveryStatus } from './delivery-status.ts';
import type { EventsConfig } from './events-config-schema.ts';
import { createNatsPublisher, type NatsPublisher } from './nats-publisher.ts';
import { createSigningSecretResolver } from './webhook-signing-secrets.ts';
import { sealPlaintextWebhookSecrets } from './webhook-store.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** The longest pause after failed rounds: a database back after a restart is used again within seconds. */
const MAX_ERROR_PAUSE_MS = 5_000;

/** Delivers outbox events to webhooks and NATS in the background of a worker process. */
export interface EventDispatcher {
  /** Starts the loop (idempotent). Workers call it; `serve` with jobs.runInServe too. */
  start(): void;
  /** One round now, for tests and the CLI: route, claim, deliver, record. */
  runOnce(): Promise<DeliveryRound>;
  /** Rounds until nothing is due any more (bounded by maxRounds), e.g. before a test asserts. */
  drain(maxRounds?: number): Promise<DeliveryRound>;
  /** Stops the loop after the round in flight and closes the NATS connection. */
  stop(): Promise<void>;
  /** How the tenant's deliveries stand as of `now` (waiting, dead letters, lag), for status pages. */
  deliveryStatus(tenantId: string, now: Date): Promise<EventDeliveryStatus>;
}

/** `secrets`: webhook signing secrets are resolved from the store at delivery. */
export function createEventDispatcher(
  db: DbHandle<EventsDatabase>,
  config: EventsConfig,
  logger: Logger,
  secrets: Pick<StewardSecrets, 'store' | 'resolve'>,
): EventDispatcher {
  const nats: NatsPublisher | undefined = config.nats.url
    ? createNatsPublisher(config.nats.url, config.nats.stream, config.nats.maxAgeHours)
    : undefined;
  const context: DeliveryContext = { db, config, nats, signingSecret: createSigningSecretResolver(secrets) };
  let sealed: Promise<void> | undefined;

  /** Once per dispatcher: secrets written in plain text before they moved to the store get sealed. */
  function sealPlaintextSecretsOnce(): Promise<void> {
    sealed ??= sealPlaintextWebhookSecrets(db, secrets.store).then(
      (count) => {
        if (count > 0)
          logger.info({ webhooks: count }, 'webhook signing secrets moved into the encrypted secret store');
      },
      (error: unknown) =>
        logger.warn(
          { err: error },
          'webhook signing secrets stored in plain text could not be sealed; they keep signing until a master key is configured',
        ),
    );
    return sealed;
  }

  async function round(): Promise<DeliveryRound> {
    await sealPlaintextSecretsOnce();
    return deliverPendingEvents(context);
  }
  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  async function loop(): Promise<void> {
    let consecutiveErrors = 0;
    while (!stopping) {
      let busy = false;
      try {
        const result = await round();
        busy = result.routed + result.delivered + result.failed + result.deadLettered > 0;
        if (result.deadLettered > 0)
          logger.warn(
            { deadLettered: result.deadLettered },
            'event deliveries moved to the dead-letter list',
          );
        consecutiveErrors = 0;
      } catch (error) {
        consecutiveErrors++;
        // The database may be restarting; back off instead of spinning, and keep the loop alive.
        if (!stopping) logger.error({ err: error, consecutiveErrors }, 'event dispatcher round failed');
      }
      if (busy || stopping) continue;
      const pause =
        consecutiveErrors > 0
          ? Math.min(config.dispatcher.idlePollMs * 2 ** consecutiveErrors, MAX_ERROR_PAUSE_MS)
          : config.dispatcher.idlePollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  async function drain(maxRounds = 1000): Promise<DeliveryRound> {
    const total: DeliveryRound = { routed: 0, delivered: 0, failed: 0, deadLettered: 0 };
    for (let n = 0; n < maxRounds; n++) {
      const result = await round();
      total.routed += result.routed;
      total.delivered += result.delivered;
      total.failed += result.failed;
      total.deadLettered += result.deadLettered;
      if (result.routed + result.delivered + result.failed + result.deadLettered === 0) break;
    }
    return total;
  }

  return {
    start() {
      stopping = false;
      running ??= loop();
    },
    runOnce: round,
    drain,
    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
      await nats?.close();
    },
    deliveryStatus: (tenantId, now) => eventDeliveryStatus(db, tenantId, now),
  };
}
