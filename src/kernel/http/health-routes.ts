import { z } from 'zod';
import type { StewardApp } from './steward-app.ts';

/** Whether this process should receive traffic; flipped off first during shutdown. */
export interface Readiness {
  ready: boolean;
}

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.string()),
});

/** Probes come from the orchestrator every few seconds: never rate-limited (a limited probe would restart a healthy process). */
const probeConfig = { rateLimit: false } as const;

/** Liveness answers from memory; readiness checks the database each time. */
export function registerHealthRoutes(
  app: StewardApp,
  probeDatabase: () => Promise<void>,
  readiness: Readiness,
): void {
  app.get(
    '/healthz',
    { config: probeConfig, schema: { tags: ['health'], response: { 200: healthResponse } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: probeConfig,
      schema: { tags: ['health'], response: { 200: readyResponse, 503: readyResponse } },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      let ok = readiness.ready;
      checks.process = readiness.ready ? 'ok' : 'shutting down or starting';
      try {
        await probeDatabase();
        checks.database = 'ok';
      } catch {
        ok = false;
        checks.database = 'unreachable';
      }
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
    },
  );
}
