import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { screenActivity, type Screening, type ScreeningAnswer } from '../core/dpia-screening.ts';
import { governanceDb } from '../store/governance-db.ts';
import { saveScreening } from '../store/screening-store.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';
import { loadGovernanceView } from './load-governance-view.ts';

/**
 * Records a person's screening of an activity: their answers (which win over what the data map
 * suggests) and the criteria met now, so a later data-map change that meets a new criterion
 * reopens it. Returns the screening with the DPIA decision and its reasons.
 */
export async function recordScreening(
  deps: GovernanceDeps,
  tenantId: string,
  activityId: string,
  answers: Omit<ScreeningAnswer, 'by' | 'at'>[],
  actor: GovernanceActor,
): Promise<Screening> {
  const view = await loadGovernanceView(deps, tenantId);
  const activity = view.activities.find((a) => `${a.role}:${a.id}` === activityId);
  if (!activity)
    throw new NotFound(
      'governance.activity_not_found',
      `No processing activity "${activityId}" in the data map. List them with GET /v1/governance/screenings.`,
      { activityId },
    );
  const at = new Date().toISOString();
  const stored = view.storedScreenings.find((s) => s.activityId === activityId);
  const merged = [
    ...(stored?.answers ?? []).filter((a) => !answers.some((n) => n.criterion === a.criterion)),
    ...answers.map((a) => ({ ...a, by: actorLabel(actor), at })),
  ];
  const screening = screenActivity(activity, merged);
  await deps.database.db.transaction().execute(async (trx) => {
    await saveScreening(governanceDb(trx), tenantId, {
      activityId,
      answers: merged,
      metCriteria: screening.criteria.filter((c) => c.met).map((c) => c.criterion),
      screenedBy: actorLabel(actor),
      screenedAt: at,
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.screening.recorded',
      object: { type: 'processing_activity', id: activityId },
      outcome: 'success',
      details: { criteriaMet: screening.metCount, dpiaRequired: screening.dpiaRequired },
    });
  });
  return screening;
}
