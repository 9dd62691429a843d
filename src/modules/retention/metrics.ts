import type { StewardMetrics } from '../../kernel/metrics/steward-metrics.ts';
import type { CollectionReport } from './core/retention-run-types.ts';

const ROWS_SWEPT = {
  name: 'steward_retention_rows_swept_total',
  help: 'Rows retention sweeps handled in source systems, by action (deleted, anonymised, kept: referenced or held), counted once their batch is recorded.',
  labelNames: ['action'] as const,
};

/** Registers the counter at start-up, so it reads zero before the first sweep. */
export function registerRetentionMetrics(services: { metrics: StewardMetrics }): void {
  services.metrics.counter(ROWS_SWEPT);
}

/**
 * Counts what one collection's sweep adds to its report, batch by batch. `report` is where the sweep
 * starts (a resumed run has counted rows already), so rows are counted once across a crash.
 */
export function countSweptRows(
  metrics: StewardMetrics,
  report: CollectionReport,
): (now: CollectionReport) => void {
  const rows = metrics.counter(ROWS_SWEPT);
  let last = { deleted: report.rowsDeleted, anonymised: report.rowsAnonymised, kept: report.rowsKept };
  return (now) => {
    rows.inc({ action: 'deleted' }, Math.max(0, now.rowsDeleted - last.deleted));
    rows.inc({ action: 'anonymised' }, Math.max(0, now.rowsAnonymised - last.anonymised));
    rows.inc({ action: 'kept' }, Math.max(0, now.rowsKept - last.kept));
    last = { deleted: now.rowsDeleted, anonymised: now.rowsAnonymised, kept: now.rowsKept };
  };
}
