import { recentRuns, type RetentionServices } from '../modules/retention/api.ts';
import type { RetentionRunsPort } from '../modules/web/api.ts';

/** The console dashboard's retention runs, read by the retention module on its own table. */
export function retentionRunsForWeb(retention: () => Pick<RetentionServices, 'database'>): RetentionRunsPort {
  return {
    recentRuns: (tenantId, now, limit) => recentRuns(retention().database.db, tenantId, now, limit),
  };
}
