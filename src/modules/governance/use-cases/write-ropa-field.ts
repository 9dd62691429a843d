import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { CONTROLLER_FIELDS, PROCESSOR_FIELDS, type RopaFieldKey } from '../core/record-of-processing.ts';
import { governanceDb } from '../store/governance-db.ts';
import { setManualField } from '../store/ropa-store.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';

const KNOWN_FIELDS = new Set<string>([...CONTROLLER_FIELDS, ...PROCESSOR_FIELDS].map((f) => f.key));

/**
 * Writes a field of the record by hand (contacts, DPO, security measures, or a correction of a
 * generated text) for one entry or for all (`*`). Empty lines remove it. Audited without its text.
 */
export async function writeRopaField(
  deps: GovernanceDeps,
  tenantId: string,
  input: { entryId: string; field: string; lines: string[] },
  actor: GovernanceActor,
): Promise<void> {
  if (!KNOWN_FIELDS.has(input.field))
    throw new InvalidInput(
      'governance.unknown_ropa_field',
      `"${input.field}" is not a field of the record of processing. Use one of: ${[...KNOWN_FIELDS].join(', ')}.`,
      { field: input.field },
    );
  if (input.entryId !== '*' && !/^(controller|processor):[a-z0-9_.]+$/.test(input.entryId))
    throw new InvalidInput(
      'governance.bad_ropa_entry',
      `Entry "${input.entryId}" must be "*" (every entry) or an entry id such as controller:essential.service.`,
      { entryId: input.entryId },
    );
  await deps.database.db.transaction().execute(async (trx) => {
    await setManualField(governanceDb(trx), tenantId, {
      entryId: input.entryId,
      field: input.field as RopaFieldKey,
      lines: input.lines.map((l) => l.trim()).filter(Boolean),
      by: actorLabel(actor),
      at: new Date().toISOString(),
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.ropa.field_written',
      object: { type: 'ropa_field', id: `${input.entryId}/${input.field}` },
      outcome: 'success',
      details: { lines: input.lines.length },
    });
  });
}
