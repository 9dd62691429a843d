import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Unavailable } from '../errors/domain-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { StewardMetrics } from './steward-metrics.ts';

export interface MetricsServer {
  /** `http://host:port`, where GET /metrics answers. */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * GET /metrics on a port of its own, without credentials (`metrics.port`): for `steward worker`
 * processes, which have no API, and for deployments that scrape on a private network instead of
 * giving Prometheus an API key. Anything else is a 404.
 */
export async function startMetricsServer(
  metrics: StewardMetrics,
  listen: { host: string; port: number },
  logger: Logger,
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Only GET /metrics is served here.\n');
      return;
    }
    metrics.scrape().then(
      (body) => response.writeHead(200, { 'content-type': metrics.contentType }).end(body),
      (error: unknown) => {
        logger.warn({ err: error }, 'metrics scrape failed');
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  server.listen(listen.port, listen.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Unavailable(
      'metrics.port_unavailable',
      `Cannot serve metrics on ${listen.host}:${listen.port} (${code ?? (error as Error).message}). ` +
        'Choose another metrics.port (each process on a machine needs its own) or stop what holds it.',
      { host: listen.host, port: listen.port },
    );
  }
  const { address, port } = server.address() as AddressInfo;
  return {
    address: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
