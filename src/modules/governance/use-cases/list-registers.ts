import type { ProcessorRecord } from '../core/processor-record.ts';
import { listBreaches, type BreachListItem } from '../store/breach-store.ts';
import { listDpias, type DpiaSummary } from '../store/dpia-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { listProcessors } from '../store/processor-store.ts';
import { listGenerations, type StoredGeneration } from '../store/ropa-store.ts';
import type { GovernanceDeps } from './governance-deps.ts';

/** The processor register, by name. */
export function listProcessorRegister(deps: GovernanceDeps, tenantId: string): Promise<ProcessorRecord[]> {
  return listProcessors(governanceDb(deps.database.db), tenantId);
}

/** The breach register, newest awareness first. */
export function listBreachRegister(
  deps: GovernanceDeps,
  tenantId: string,
  state?: 'open' | 'closed',
): Promise<BreachListItem[]> {
  return listBreaches(governanceDb(deps.database.db), tenantId, state);
}

/** Every DPIA with its current version number. */
export function listDpiaRegister(deps: GovernanceDeps, tenantId: string): Promise<DpiaSummary[]> {
  return listDpias(governanceDb(deps.database.db), tenantId);
}

/** Stored generations of the record of processing, newest first. */
export function listRopaGenerations(
  deps: GovernanceDeps,
  tenantId: string,
  limit = 50,
): Promise<StoredGeneration[]> {
  return listGenerations(governanceDb(deps.database.db), tenantId, limit);
}
