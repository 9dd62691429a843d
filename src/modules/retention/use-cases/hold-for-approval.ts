import { dutiesPolicyFor, retentionRunNeedsApproval } from '../../../platform/auth/separation-of-duties.ts';
import type { RetentionServices } from '../retention-services.ts';
import type { RunActor, RunApproval, RunTarget } from '../core/retention-run-types.ts';
import { planSweep } from '../core/sweep-plan.ts';

type CountingServices = Pick<RetentionServices, 'config' | 'dataMaps' | 'connectors'>;

/**
 * Four eyes on large removals (issue 12 item 5; GDPR Art. 5(1)(f) and 32(1)(b)): counts the rows a
 * real run would remove now — the dry run's count, at the run's reference time — and when they
 * exceed the tenant's `auth.separationOfDuties.retentionRunRowsAbove`, returns the approval the run
 * must wait for. Undefined: it may start at once.
 */
export async function holdForApproval(
  services: CountingServices,
  tenantId: string,
  targets: readonly RunTarget[],
  referenceTime: Date,
  requestedBy: RunActor,
): Promise<RunApproval | undefined> {
  const policy = dutiesPolicyFor(services.config.auth, tenantId);
  if (policy.retentionRunRowsAbove === false) return undefined;
  const rowsDue = await countRowsDue(services, tenantId, targets, referenceTime);
  if (!retentionRunNeedsApproval(policy, rowsDue)) return undefined;
  return {
    rowsDue,
    rowsAbove: policy.retentionRunRowsAbove,
    requestedBy: { kind: requestedBy.kind, id: requestedBy.id },
    decision: null,
  };
}

/**
 * Rows due under the targets' rules at `referenceTime`. A collection that cannot be counted now
 * adds nothing: its sweep starts with the same count and removes nothing when that fails.
 */
export async function countRowsDue(
  services: CountingServices,
  tenantId: string,
  targets: readonly RunTarget[],
  referenceTime: Date,
): Promise<number> {
  const view = services.dataMaps.forTenant(tenantId);
  let rows = 0;
  for (const target of targets) {
    const plan = planSweep(view, target, referenceTime);
    if (plan.kind === 'http' || plan.problems.length) continue;
    const connector = services.connectors.forSystem(tenantId, view.system(target.system)!);
    rows += await connector.count(plan.target, plan.due).catch(() => 0);
  }
  return rows;
}
