import { defineJob, type JobDefinition } from '../../kernel/jobs/job-definition.ts';
import { discoveryConfigOf } from './config-schema.ts';
import type { DiscoveryServices } from './discovery-services.ts';
import { runDiscovery } from './use-cases/run-discovery.ts';

export const DISCOVERY_QUEUES = { run: 'discovery.run', schedule: 'discovery.schedule' } as const;

export interface DiscoveryRunPayload {
  tenantId: string;
  system: string;
}

/** One system of one tenant: sampled, compared with the data map and the previous run, stored. */
const runOne = defineJob<DiscoveryRunPayload, DiscoveryServices>({
  queue: DISCOVERY_QUEUES.run,
  retryLimit: 2,
  retryDelaySeconds: 60,
  timeoutSeconds: 3600,
  async handle(payload, context) {
    const { sampleSize, statementTimeoutMs } = discoveryConfigOf(context.services.config);
    const outcome = await runDiscovery(
      {
        dataMap: context.services.dataMaps.forTenant(payload.tenantId),
        db: context.services.database.db,
      },
      {
        tenantId: payload.tenantId,
        system: payload.system,
        trigger: 'schedule',
        sampleSize,
        statementTimeoutMs,
      },
    );
    // Counts only: the job record is kept for inspection.
    return {
      runId: outcome.run?.id,
      findings: outcome.findings.length,
      appeared: outcome.comparison?.appeared.length ?? 0,
    };
  },
});

/**
 * Daily at 03:00 UTC when `discovery.schedule.enabled`: one run job per database and log system of
 * every tenant, so drift shows up run to run without anyone asking.
 */
const schedule = defineJob<object, DiscoveryServices>({
  queue: DISCOVERY_QUEUES.schedule,
  schedule: { cron: '0 3 * * *' },
  retryLimit: 0,
  timeoutSeconds: 300,
  async handle(_payload, context) {
    if (!discoveryConfigOf(context.services.config).schedule.enabled) return { enqueued: 0 };
    let enqueued = 0;
    for (const tenantId of context.services.dataMaps.tenants())
      for (const system of context.services.dataMaps.forTenant(tenantId).dataMap.systems) {
        if (system.kind === 'http') continue;
        await context.services.jobs.enqueue(DISCOVERY_QUEUES.run, { tenantId, system: system.id });
        enqueued++;
      }
    return { enqueued };
  },
});

export const discoveryJobs: JobDefinition[] = [runOne, schedule];
