import { hostname } from 'node:os';
import type { CliContext } from '../cli/cli-context.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openDatabase } from '../db/open-database.ts';
import { prepareDemoShop } from '../demo/prepare-demo-shop.ts';
import type { AppServices } from '../http/steward-app.ts';
import { createJobEngine } from '../jobs/job-engine.ts';
import { allJobDefinitions } from '../jobs/job-registry.ts';
import { closeServices, createServices } from '../runtime/create-services.ts';
import type { Ora } from 'ora';

/**
 * The services a retention command works with, for the length of the command: database (migrated),
 * job engine without workers (jobs are only enqueued), data maps and connectors. `--demo` adds the
 * demo shop (created on first use), as `steward serve --demo` does.
 */
export async function withRetentionServices<T>(
  context: CliContext,
  options: { demo?: boolean },
  work: (services: AppServices) => Promise<T>,
): Promise<T> {
  const { config } = context.loadConfig();
  if (options.demo) config.demo.enabled = true;
  const logger = context.logger();
  if (config.demo.enabled) await prepareDemoShop(config, logger);
  const database = await openDatabase(config.database);
  const jobs = createJobEngine(
    database,
    allJobDefinitions(),
    {
      concurrency: 1,
      pollIntervalSeconds: config.jobs.pollIntervalSeconds,
      instanceName: `cli@${hostname()}:${process.pid}`,
    },
    logger,
  );
  let services: AppServices | undefined;
  try {
    await migrateToLatest(database.db);
    await jobs.start({ work: false });
    services = await createServices(config, database, jobs, logger);
    return await work(services);
  } finally {
    if (services) await closeServices(services, { graceMs: 1000 });
    else {
      await jobs.stop(1000);
      await database.close();
    }
  }
}

/** `[██████░░░░]  61%  1,234 of 2,000 rows  shop.sessions` on the spinner line. */
export function progressText(rowsDone: number, rowsEstimated: number, label: string): string {
  const ratio = rowsEstimated > 0 ? Math.min(1, rowsDone / rowsEstimated) : 0;
  const filled = Math.round(ratio * 24);
  return `[${'█'.repeat(filled)}${'░'.repeat(24 - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${rowsDone.toLocaleString('en-US')} of ${rowsEstimated.toLocaleString('en-US')} rows  ${label}`;
}

/** Ctrl-C stops after the current batch; the run stays resumable (`steward retention resume`). */
export function abortOnInterrupt(spinner: Ora): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    spinner.text = 'Stopping after the current batch…';
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
