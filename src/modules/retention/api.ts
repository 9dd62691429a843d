/** What other code may use of the retention module: the own-data purge contract it runs. */
export type { OwnDataPurger, RetentionServices } from './retention-services.ts';
export { purgeStewardData, type StewardPurgeResult } from './use-cases/steward-data-purge.ts';
export type { RetentionDatabase } from './store/retention-database.ts';
export { recentRuns, type RecentRetentionRuns } from './use-cases/recent-runs.ts';
