import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import type { ProcessorRecord } from '../core/processor-record.ts';
import { governanceDb } from '../store/governance-db.ts';
import { deleteProcessor, readProcessor, upsertProcessor } from '../store/processor-store.ts';
import type { GovernanceActor, GovernanceDeps } from './governance-deps.ts';

/** Adds or replaces a processor or recipient in the register (Art. 28(3), Art. 30(1)(d)). */
export async function saveProcessor(
  deps: GovernanceDeps,
  tenantId: string,
  record: ProcessorRecord,
  actor: GovernanceActor,
): Promise<ProcessorRecord> {
  await deps.database.db.transaction().execute(async (trx) => {
    const db = governanceDb(trx);
    const existed = await readProcessor(db, tenantId, record.id);
    await upsertProcessor(db, tenantId, record);
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: existed ? 'governance.processor.updated' : 'governance.processor.added',
      object: { type: 'processor', id: record.id },
      outcome: 'success',
      details: {
        role: record.role,
        countries: record.countries,
        dpa: record.dpa !== undefined,
        mechanism: record.mechanism?.kind ?? null,
      },
    });
  });
  return record;
}

export async function removeProcessor(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  actor: GovernanceActor,
): Promise<void> {
  await deps.database.db.transaction().execute(async (trx) => {
    if (!(await deleteProcessor(governanceDb(trx), tenantId, id)))
      throw new NotFound('governance.processor_not_found', `No processor "${id}" in the register.`, { id });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.processor.removed',
      object: { type: 'processor', id },
      outcome: 'success',
    });
  });
}
