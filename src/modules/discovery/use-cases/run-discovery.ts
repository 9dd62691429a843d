import { InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { DataMapSystem, DataMapView } from '../../../platform/datamap/datamap-types.ts';
import {
  openCatalogForSystem,
  type CatalogConnection,
} from '../../../platform/datamap/introspection/open-catalog.ts';
import type { RunComparison } from '../core/compare-runs.ts';
import type { DiscoveryResult } from '../core/discovery-types.ts';
import { findDrift, type DriftFinding } from '../core/drift.ts';
import { recordDiscoveryRun, type DiscoveryDb, type StoredRun } from '../store/discovery-runs.ts';
import { discoverDatabase } from './discover-database.ts';
import { discoverLogFiles } from './discover-log-files.ts';
import { didYouMean } from '../../../kernel/errors/did-you-mean.ts';

/** What running discovery needs: the tenant's data map, and Steward's database to keep the run in. */
export interface RunDiscoveryDeps {
  dataMap: DataMapView;
  /** Omit to discover without storing (`steward discover` without a database, CI checks). */
  db?: DiscoveryDb;
  openCatalog?: (system: DataMapSystem) => Promise<CatalogConnection>;
}

export interface RunDiscoveryInput {
  tenantId: string;
  system: string;
  trigger: StoredRun['trigger'];
  sampleSize?: number;
  statementTimeoutMs?: number;
}

export interface DiscoveryOutcome {
  result: DiscoveryResult;
  findings: DriftFinding[];
  /** Set when the run was stored. */
  run?: StoredRun;
  comparison?: RunComparison;
}

/**
 * Discovers one system of the data map (a database's tables or a log directory), compares it with
 * what the data map declares, and stores the run with its comparison to the previous one.
 */
export async function runDiscovery(
  deps: RunDiscoveryDeps,
  input: RunDiscoveryInput,
): Promise<DiscoveryOutcome> {
  const system = deps.dataMap.system(input.system);
  if (!system)
    throw new NotFound(
      'discovery.unknown_system',
      `The data map has no system ${input.system}.${didYouMean(
        input.system,
        deps.dataMap.dataMap.systems.map((s) => s.id),
      )} Check the id with steward datamap show.`,
      {
        system: input.system,
      },
    );
  const result = await discoverSystem(system, input, deps.openCatalog ?? openCatalogForSystem);
  const findings = findDrift(system, result);
  if (!deps.db) return { result, findings };
  const { run, comparison } = await recordDiscoveryRun(deps.db, {
    tenantId: input.tenantId,
    trigger: input.trigger,
    result,
    findings,
  });
  return { result, findings, run, comparison };
}

async function discoverSystem(
  system: DataMapSystem,
  input: RunDiscoveryInput,
  openCatalog: (system: DataMapSystem) => Promise<CatalogConnection>,
): Promise<DiscoveryResult> {
  if (system.kind === 'files')
    return discoverLogFiles(system, {
      ...(input.sampleSize !== undefined ? { sampleSize: input.sampleSize } : {}),
    });
  if (system.kind === 'http')
    throw new InvalidInput(
      'discovery.http_system',
      `System ${system.id} is reached over HTTP: there is no table to sample. Describe it by hand.`,
      {
        system: system.id,
      },
    );
  const catalog = await openCatalog(system);
  try {
    return await discoverDatabase({
      system: system.id,
      catalog,
      ...(input.sampleSize !== undefined ? { sampleSize: input.sampleSize } : {}),
      statementTimeoutMs: input.statementTimeoutMs ?? system.connection.statementTimeoutMs,
    });
  } finally {
    await catalog.close();
  }
}
