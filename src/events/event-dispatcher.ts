import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import { deliverPendingEvents, type DeliveryRound } from './deliver-pending-events.ts';
import type { EventsConfig } from './events-config-schema.ts';
import { createNatsPublisher, type NatsPublisher } from './nats-publisher.ts';

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
}

export function createEventDispatcher(db: Kysely<Database>, config: EventsConfig, logger: Logger): EventDispatcher {
  const nats: NatsPublisher | undefined = config.nats.url ? createNatsPublisher(config.nats.url, config.nats.stream, config.nats.maxAgeHours) : undefined;
  const context = { db, config, nats };
  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  async function loop(): Promise<void> {
    let consecutiveErrors = 0;
    while (!stopping) {
      let busy = false;
      try {
        const round = await deliverPendingEvents(context);
        busy = round.routed + round.delivered + round.failed + round.deadLettered > 0;
        if (round.deadLettered > 0) logger.warn({ deadLettered: round.deadLettered }, 'event deliveries moved to the dead-letter list');
        consecutiveErrors = 0;
      } catch (error) {
        consecutiveErrors++;
        // The database may be restarting; back off instead of spinning, and keep the loop alive.
        if (!stopping) logger.error({ err: error, consecutiveErrors }, 'event dispatcher round failed');
      }
      if (busy || stopping) continue;
      const pause = consecutiveErrors > 0 ? Math.min(config.dispatcher.idlePollMs * 2 ** consecutiveErrors, 30_000) : config.dispatcher.idlePollMs;
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
    for (let round = 0; round < maxRounds; round++) {
      const result = await deliverPendingEvents(context);
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
    runOnce: () => deliverPendingEvents(context),
    drain,
    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
      await nats?.close();
    },
  };
}
