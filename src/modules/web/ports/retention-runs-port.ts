import type { RecentRetentionRuns } from '../../retention/api.ts';

/** The retention runs the console shows, from the retention module (bound by src/workflows/retention-runs-for-web.ts). */
export interface RetentionRunsPort {
  /** The `limit` newest runs, and the rows swept by real runs in the last thirty days. */
  recentRuns(tenantId: string, now: Date, limit: number): Promise<RecentRetentionRuns>;
}
