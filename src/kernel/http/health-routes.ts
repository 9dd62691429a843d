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

/**
 * How long /readyz waits for the database. A frozen server (or a network that drops packets) never
 * answers, and a probe that hangs is no answer to an orchestrator: past this limit it is not ready.
 */
export const READINESS_PROBE_LIMIT_MS = 2_000;

/** Liveness answers from memory; readiness checks the database each time, within a time limit. */
export function registerHealthRoutes(
  app: StewardApp,
  probeDatabase: () => Promise<void>,
  readiness: Readiness,
): void {
  const probe = limitedProbe(probeDatabase, READINESS_PROBE_LIMIT_MS);
  app.get(
    '/healthz',
    {
      config: probeConfig,
      schema: {
        tags: ['health'],
        operationId: 'checkLiveness',
        summary: 'Liveness: the process answers (no dependency is checked)',
        response: { 200: healthResponse },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: probeConfig,
      schema: {
        tags: ['health'],
        operationId: 'checkReadiness',
        summary: 'Readiness: the process takes traffic and its database answers',
        response: { 200: readyResponse, 503: readyResponse },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      let ok = readiness.ready;
      checks.process = readiness.ready ? 'ok' : 'shutting down or starting';
      const outcome = await probe();
      checks.database = outcome;
      if (outcome !== 'ok') ok = false;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
    },
  );
}

/**
 * The probe with a time limit. While one probe hangs, later ones share it instead of starting
 * another: probes arrive every few seconds and must not pile up connections on a frozen server.
 */
function limitedProbe(
  probeDatabase: () => Promise<void>,
  limitMs: number,
): () => Promise<'ok' | 'unreachable' | 'timed out'> {
  let inFlight: Promise<'ok' | 'unreachable'> | undefined;
  return async () => {
    const attempt = (inFlight ??= probeDatabase().then(
      () => 'ok' as const,
      () => 'unreachable' as const,
    ));
    void attempt.finally(() => {
      if (inFlight === attempt) inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), limitMs);
    });
    try {
      return await Promise.race([attempt, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
}
