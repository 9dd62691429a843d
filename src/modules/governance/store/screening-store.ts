import type { ScreeningAnswer, ScreeningCriterion } from '../core/dpia-screening.ts';
import type { GovernanceDb } from './governance-db.ts';

export interface StoredScreening {
  activityId: string;
  answers: ScreeningAnswer[];
  /** The criteria met when it was last recorded: a new one reopens the screening. */
  metCriteria: ScreeningCriterion[];
  screenedBy: string;
  screenedAt: string;
}

export async function listScreenings(db: GovernanceDb, tenantId: string): Promise<StoredScreening[]> {
  const rows = await db
    .selectFrom('governance_screenings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .execute();
  return rows.map((r) => ({
    activityId: r.activity_id,
    answers: r.answers as ScreeningAnswer[],
    metCriteria: r.met_criteria as ScreeningCriterion[],
    screenedBy: r.screened_by,
    screenedAt: r.screened_at.toISOString(),
  }));
}

export async function saveScreening(
  db: GovernanceDb,
  tenantId: string,
  screening: StoredScreening,
): Promise<void> {
  const values = {
    answers: JSON.stringify(screening.answers),
    met_criteria: JSON.stringify(screening.metCriteria),
    screened_by: screening.screenedBy,
    screened_at: screening.screenedAt,
  };
  await db
    .insertInto('governance_screenings')
    .values({ tenant_id: tenantId, activity_id: screening.activityId, ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'activity_id']).doUpdateSet(values))
    .execute();
}
