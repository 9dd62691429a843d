import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { FindingSource } from '../../../platform/datamap/findings/datamap-finding.ts';
import type { DriftFinding } from '../core/drift.ts';
import { driftFindingSource } from '../core/drift-findings.ts';
import { DEFAULT_SAMPLE_SIZE } from './discover-database.ts';
import { locateFindings } from './propose-datamap-changes.ts';
import { runDiscovery, type RunDiscoveryDeps } from './run-discovery.ts';

export interface CheckDriftInput {
  tenantId: string;
  /** Only these systems; default every database and log system of the data map. */
  systems?: readonly string[];
  /** Rows (or log lines) per table; 0 reads the databases' catalogs only and skips log systems. */
  sampleSize?: number;
}

/**
 * Discovery over the data map's database and log systems, as one source of `steward datamap
 * check`: what the data holds that the data map does not declare, each finding at its data-map
 * line. Stores no run (a CI check leaves nothing behind) and reads no value beyond the samples.
 */
export async function checkDriftFindings(
  deps: Omit<RunDiscoveryDeps, 'db'>,
  input: CheckDriftInput,
): Promise<FindingSource> {
  const catalogOnly = input.sampleSize === 0;
  const candidates = deps.dataMap.dataMap.systems.filter((s) => s.kind !== 'http');
  for (const id of input.systems ?? [])
    if (!candidates.some((s) => s.id === id))
      throw new InvalidInput(
        'discovery.unknown_system',
        `The data map has no database or log system ${id}${candidates.length ? ` (systems: ${candidates.map((s) => s.id).join(', ')})` : ''}.`,
        { system: id },
      );
  const chosen = candidates.filter((s) => !input.systems || input.systems.includes(s.id));
  const systems = catalogOnly ? chosen.filter((s) => s.kind !== 'files') : chosen;
  const findings: DriftFinding[] = [];
  let collections = 0;
  for (const system of systems) {
    const outcome = await runDiscovery(
      // Never `db`: a check stores no run, whatever the caller's object holds.
      { dataMap: deps.dataMap, ...(deps.openCatalog ? { openCatalog: deps.openCatalog } : {}) },
      {
        tenantId: input.tenantId,
        system: system.id,
        trigger: 'cli',
        ...(input.sampleSize !== undefined ? { sampleSize: input.sampleSize } : {}),
      },
    );
    findings.push(...outcome.findings);
    collections += outcome.result.collections.length;
  }
  const skipped = chosen.length - systems.length;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const scope = `${plural(systems.length, 'system', 'systems')}, ${plural(collections, 'table or log', 'tables or logs')} ${
    catalogOnly
      ? 'read from the catalog only (no row sampled)'
      : `sampled (up to ${input.sampleSize ?? DEFAULT_SAMPLE_SIZE} rows each)`
  }${skipped ? `; ${plural(skipped, 'log system', 'log systems')} skipped (no sampling)` : ''}`;
  return driftFindingSource(locateFindings(findings), scope);
}
