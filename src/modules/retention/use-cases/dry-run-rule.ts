import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { checkRetentionRule } from '../../../platform/datamap/check-retention-rule.ts';
import { DataMapLocator } from '../../../platform/datamap/datamap-locator.ts';
import type { CollectionAddress, RetentionRule } from '../../../platform/datamap/datamap-types.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { RetentionServices } from '../retention-services.ts';
import { dryRunCollection, unmeasuredDryRun, type DryRunResult } from '../core/dry-run-collection.ts';
import { planSweep } from '../core/sweep-plan.ts';

/**
 * What a rule (the collection's, or one proposed before it is enabled) would do now: counts and a
 * sample of primary keys. A proposed rule is validated like the data map validates rules, so a
 * rule that would break a legal hold is refused here too. The look is audited (it reads keys).
 */
export async function dryRunRule(
  services: RetentionServices,
  tenantId: string,
  address: CollectionAddress,
  proposed: RetentionRule | undefined,
  actor: Pick<Actor, 'kind' | 'id'>,
  requestId?: string,
): Promise<DryRunResult> {
  const view = services.dataMaps.forTenant(tenantId);
  const plan = planSweep(view, address, new Date(), proposed);
  if (proposed) {
    const locator = new DataMapLocator();
    checkRetentionRule(view.collection(address)!, proposed, locator);
    const errors = locator.problems.filter((p) => p.severity === 'error');
    if (errors.length)
      throw new InvalidInput(
        'retention.rule_invalid',
        `The rule is refused: ${errors.map((p) => `${p.message} (${p.fix})`).join('; ')}`,
        { problems: errors.map((p) => p.code) },
      );
  }
  const connector =
    plan.kind === 'http' ? undefined : services.connectors.forSystem(tenantId, view.system(address.system)!);
  const result = connector
    ? await dryRunCollection(connector, view, plan, services.config.retention.sweep.sampleSize)
    : unmeasuredDryRun(plan);
  await recordAuditEvent(services.database.db, {
    tenantId,
    actor: { kind: actor.kind, id: actor.id },
    action: 'retention.rule.dry_run',
    object: { type: 'collection', id: `${address.system}.${address.collection}` },
    outcome: 'success',
    ...(requestId ? { requestId } : {}),
    details: {
      rule: plan.ruleText,
      proposed: proposed !== undefined,
      rowsDue: result.rowsDue,
      rowsHeld: result.rowsHeld,
      sampleKeys: result.sampleKeys.length,
    },
  });
  return result;
}
