import { z } from 'zod';
import type { StewardApp } from './steward-app.ts';

/** Whether this process should receive traffic; flipped off first during shutdown. */
export interface Readiness {
  ready: boolean;
  /**
   * Conditions that leave the instance serving but degraded (an audit log found rewritten): name →
   * what is wrong. The app provides it; the kernel only reports it.
   */
  degradations?: () => Promise<Record<string, string>>;
}

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z
    .enum(['ready', 'degraded', 'not_ready'])
    .describe(
      'degraded: serving, but something needs a person (see checks); still 200, so traffic keeps flowing.',
    ),
  checks: z.record(z.string(), z.string()),
});

const HEALTHY = JSON.stringify(healthResponse.parse({ status: 'ok' }));

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
      // The answer never changes: written once, not checked against its schema and serialised on
      // every probe.
      serializerCompiler: () => () => HEALTHY,
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
      if (!ok) return reply.status(503).send({ status: 'not_ready', checks });
      const degraded = readiness.degradations
        ? await degradationsWithin(readiness.degradations, READINESS_PROBE_LIMIT_MS)
        : {};
      Object.assign(checks, degraded);
      return reply
        .status(200)
        .send({ status: Object.keys(degraded).length > 0 ? 'degraded' : 'ready', checks });
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

/** The app's degradations, or a note that they could not be read in time (which is no reason to stop traffic). */
async function degradationsWithin(
  read: () => Promise<Record<string, string>>,
  limitMs: number,
): Promise<Record<string, string>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Record<string, string>>((resolve) => {
    timer = setTimeout(() => resolve({}), limitMs);
  });
  try {
    return await Promise.race([read().catch(() => ({})), late]);
  } finally {
    clearTimeout(timer);
  }
}
