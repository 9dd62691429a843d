import { generateRecordOfProcessing, type RecordOfProcessing } from '../core/record-of-processing.ts';
import { governanceDb } from '../store/governance-db.ts';
import { listManualFields, saveGeneration, type StoredGeneration } from '../store/ropa-store.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { loadGovernanceView } from './load-governance-view.ts';

/**
 * Generates the tenant's record of processing from the data map and the hand-written fields, and
 * keeps it as a generation (unless it equals the last one) so later changes can be diffed.
 */
export async function generateRopa(
  deps: GovernanceDeps,
  tenantId: string,
  at = new Date(),
): Promise<{ record: RecordOfProcessing; generation: StoredGeneration }> {
  const db = governanceDb(deps.database.db);
  const [view, manual] = await Promise.all([
    loadGovernanceView(deps, tenantId, at),
    listManualFields(db, tenantId),
  ]);
  const record = generateRecordOfProcessing({
    tenantId,
    dataMap: view.dataMap,
    activities: view.activities,
    flows: view.flows,
    manual,
    locations: view.locations,
    generatedAt: at,
    nameOf: view.nameOf,
  });
  return { record, generation: await saveGeneration(db, record) };
}
