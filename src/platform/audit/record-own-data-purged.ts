import type { DbHandle } from '../../kernel/database/db-handle.ts';
import { recordAuditEvent } from './record-audit-event.ts';
import type { AuditDatabase } from './store/audit-database.ts';

/** The audit event of one batch of Steward's own records purged (counts only, never what they held). */
export async function recordOwnDataPurged(
  trx: DbHandle<AuditDatabase>,
  event: { tenantId: string; actor: { kind: 'system'; id: string }; kind: string; count: number },
): Promise<void> {
  await recordAuditEvent(trx, {
    tenantId: event.tenantId,
    actor: event.actor,
    action: 'retention.steward_data.purged',
    object: { type: 'steward_data', id: event.kind },
    outcome: 'success',
    details: { kind: event.kind, count: event.count },
  });
}

/** Rows of several tenants grouped by tenant, so each tenant's audit log gets its own event. */
export function groupByTenant<Row extends { tenant_id: string }>(
  rows: readonly Row[],
  idOf: (row: Row) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) groups.set(row.tenant_id, [...(groups.get(row.tenant_id) ?? []), idOf(row)]);
  return groups;
}
