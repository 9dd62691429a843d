import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { withSpan } from '../../kernel/tracing/tracing.ts';

/** Subjects Steward publishes under; the stream captures all of them. */
export const NATS_SUBJECT_PREFIX = 'steward';

export interface NatsPublisher {
  /**
   * Publishes to JetStream and resolves once the stream has stored the message. `msgId` is the
   * event id, so JetStream drops a redelivery inside its duplicate window.
   */
  publish(subject: string, body: string, msgId: string, timeoutMs: number): Promise<void>;
  /**
   * Pipelines messages: all are sent at once, in this order, on the one connection (so the stream
   * stores them in this order), and their acknowledgements awaited together; one result each.
   */
  publishInOrder(
    messages: { subject: string; body: string; msgId: string }[],
    timeoutMs: number,
  ): Promise<PromiseSettledResult<void>[]>;
  close(): Promise<void>;
}

/**
 * Connects lazily on the first publish and creates the stream (capturing `steward.>`) if it does
 * not exist. A lost connection is re-established by the client; a failed connect is retried on the
 * next publish.
 */
export function createNatsPublisher(url: string, stream: string, maxAgeHours: number): NatsPublisher {
  let ready: Promise<{ connection: NatsConnection; client: JetStreamClient }> | undefined;

  async function open() {
    const connection = await connect({ servers: url, name: 'steward-events', maxReconnectAttempts: -1 });
    try {
      const manager = await jetstreamManager(connection);
      try {
        await manager.streams.info(stream);
      } catch (error) {
        if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound))
          throw error;
        await manager.streams.add({
          name: stream,
          subjects: [`${NATS_SUBJECT_PREFIX}.>`],
          max_age: nanos(maxAgeHours * 3_600_000),
        });
      }
      return { connection, client: jetstream(connection) };
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  }

  function connection() {
    ready ??= open().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  return {
    async publishInOrder(messages, timeoutMs) {
      let client: JetStreamClient;
      try {
        ({ client } = await connection());
      } catch (error) {
        return messages.map(() => ({ status: 'rejected', reason: error }) as const);
      }
      // Each publish writes its message before returning its promise: the sends happen in this loop's order.
      const destination = sharedSubject(messages.map((message) => message.subject));
      return withSpan(
        `publish ${destination}`,
        {
          'messaging.system': 'nats',
          'messaging.destination.name': destination,
          'messaging.batch.message_count': messages.length,
        },
        () =>
          Promise.allSettled(
            messages.map(({ subject, body, msgId }) =>
              client.publish(subject, body, { msgID: msgId, timeout: timeoutMs }).then(() => undefined),
            ),
          ),
        'producer',
      );
    },
    async publish(subject, body, msgId, timeoutMs) {
      const { client } = await connection();
      // A producer span when tracing is on (subjects name topics, never people).
      await withSpan(
        `publish ${subject}`,
        { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': msgId },
        () => client.publish(subject, body, { msgID: msgId, timeout: timeoutMs }),
        'producer',
      );
    },
    async close() {
      const opened = ready;
      ready = undefined;
      if (!opened) return;
      const { connection } = await opened.catch(() => ({ connection: undefined }));
      await connection?.drain().catch(() => {});
    },
  };
}

/**
 * The destination a batch span names (OpenTelemetry's `publish {destination}`): the subject when every message
 * shares it, else the NATS wildcard covering them all (`steward.consent.>`), so traces group by topic.
 */
export function sharedSubject(subjects: readonly string[]): string {
  const [first, ...rest] = subjects;
  if (first === undefined) return '>';
  if (rest.every((subject) => subject === first)) return first;
  const common: string[] = [];
  const split = subjects.map((subject) => subject.split('.'));
  for (
    let index = 0;
    split.every((tokens) => index < tokens.length - 1 && tokens[index] === split[0]![index]);
    index++
  ) {
    common.push(split[0]![index]!);
  }
  return [...common, '>'].join('.');
}
