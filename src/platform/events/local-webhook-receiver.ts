import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from './cloud-event.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

/** A webhook receiver on 127.0.0.1 that verifies signatures; used by tests, benchmarks and `steward events listen`. */
export interface LocalWebhookReceiver {
  url: string;
  port: number;
  /** Events received with a valid signature, in arrival order (duplicates included). */
  events: CloudEvent[];
  /** Deliveries refused for a bad signature. */
  rejected: number;
  /** Events per accepted request, in arrival order (more than 1: a batch). */
  requestSizes: number[];
  /** Sets the secret used to verify (known only after the webhook is registered). */
  setSecret(secret: string): void;
  /** Resolves when at least `count` events arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver; `port` 0 picks a free one. `respond` may choose an error status to simulate a failing receiver. */
export async function startLocalWebhookReceiver(
  options: { port?: number; secret?: string; respond?: (event: CloudEvent) => number } = {},
): Promise<LocalWebhookReceiver> {
  let secret = options.secret ?? '';
  const events: CloudEvent[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let rejected = 0;
  const requestSizes: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyWebhookSignature(secret, body, request.headers);
      if (!check.valid) {
        rejected++;
        response.writeHead(401).end(check.reason);
        return;
      }
      // A CloudEvents JSON batch (an array) from a webhook that opted into batches, else one event.
      const parsed = JSON.parse(body) as CloudEvent | CloudEvent[];
      const received = Array.isArray(parsed) ? parsed : [parsed];
      // A batch is refused as a whole when any of its events would be.
      const refusal = received
        .map((event) => options.respond?.(event) ?? 204)
        .find((s) => s < 200 || s > 299);
      const status = refusal ?? 204;
      if (refusal === undefined) {
        events.push(...received);
        requestSizes.push(received.length);
        for (const waiter of waiters.filter((w) => events.length >= w.count)) waiter.resolve();
      }
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/events`,
    port,
    events,
    get rejected() {
      return rejected;
    },
    requestSizes,
    setSecret(value) {
      secret = value;
    },
    waitFor(count, timeoutMs) {
      if (events.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`received ${events.length} of ${count} events within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
