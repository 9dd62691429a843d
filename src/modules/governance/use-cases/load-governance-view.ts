import { createTaxonomy } from '../../../platform/taxonomy/taxonomy.ts';
import type { DataMap } from '../../../platform/datamap/datamap-types.ts';
import { screenActivity, type Screening } from '../core/dpia-screening.ts';
import { deriveProcessingActivities, type ProcessingActivity } from '../core/processing-activities.ts';
import type { ProcessorRecord } from '../core/processor-record.ts';
import type { DataMapLocations } from '../core/source-location.ts';
import { deriveTransferFlows, type TransferFlow } from '../core/transfer-flows.ts';
import { governanceDb } from '../store/governance-db.ts';
import { listDpias } from '../store/dpia-store.ts';
import { listProcessors } from '../store/processor-store.ts';
import { listScreenings, type StoredScreening } from '../store/screening-store.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { locateDataMap } from './locate-datamap.ts';

/** Everything governance derives for a tenant at one moment: the data map joined with the registers. */
export interface GovernanceView {
  tenantId: string;
  at: Date;
  dataMap: DataMap;
  locations: DataMapLocations;
  processors: ProcessorRecord[];
  activities: ProcessingActivity[];
  flows: TransferFlow[];
  screenings: Screening[];
  storedScreenings: StoredScreening[];
  activitiesWithDpia: Set<string>;
  nameOf: (kind: 'use' | 'category' | 'subject', key: string) => string | undefined;
}

const taxonomy = createTaxonomy();

/** Reads the registers and derives activities, transfers and screenings from the tenant's data map. */
export async function loadGovernanceView(
  deps: GovernanceDeps,
  tenantId: string,
  at = new Date(),
): Promise<GovernanceView> {
  const db = governanceDb(deps.database.db);
  const dataMap = deps.dataMaps.forTenant(tenantId).dataMap;
  const locations = locateDataMap(dataMap);
  const [processors, storedScreenings, dpias] = await Promise.all([
    listProcessors(db, tenantId),
    listScreenings(db, tenantId),
    listDpias(db, tenantId),
  ]);
  const activities = deriveProcessingActivities(dataMap, locations);
  const screenings = activities.map((activity) => {
    const stored = storedScreenings.find((s) => s.activityId === `${activity.role}:${activity.id}`);
    return screenActivity(activity, stored?.answers ?? [], stored?.metCriteria);
  });
  const trees = { use: taxonomy.uses, category: taxonomy.categories, subject: taxonomy.subjects } as const;
  return {
    tenantId,
    at,
    dataMap,
    locations,
    processors,
    activities,
    flows: deriveTransferFlows({ dataMap, processors, locations, at }),
    screenings,
    storedScreenings,
    activitiesWithDpia: new Set(dpias.map((d) => d.activityId)),
    nameOf: (kind, key) => trees[kind].get(key)?.name,
  };
}
