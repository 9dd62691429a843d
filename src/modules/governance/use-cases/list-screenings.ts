import type { Screening } from '../core/dpia-screening.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { loadGovernanceView } from './load-governance-view.ts';

/** The WP248 screening of every processing activity, with whether a DPIA exists for it. */
export async function listScreenings(
  deps: GovernanceDeps,
  tenantId: string,
): Promise<(Screening & { hasDpia: boolean })[]> {
  const view = await loadGovernanceView(deps, tenantId);
  return view.screenings.map((s) => ({ ...s, hasDpia: view.activitiesWithDpia.has(s.activityId) }));
}
