import type { Selectable } from 'kysely';
import type {
  ProcessorRecord,
  TransferImpactAssessment,
  TransferMechanism,
} from '../core/processor-record.ts';
import type { GovernanceDb } from './governance-db.ts';
import type { GovernanceProcessorsTable } from './governance-tables.ts';

function recordOf(row: Selectable<GovernanceProcessorsTable>): ProcessorRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    ...(row.contact ? { contact: row.contact } : {}),
    countries: row.countries,
    categories: row.categories,
    systems: row.systems,
    ...(row.dpa ? { dpa: row.dpa } : {}),
    subProcessors: row.sub_processors,
    dpfCertified: row.dpf_certified,
    ...(row.mechanism ? { mechanism: row.mechanism as TransferMechanism } : {}),
    ...(row.tia ? { tia: row.tia as TransferImpactAssessment } : {}),
  };
}

export async function listProcessors(db: GovernanceDb, tenantId: string): Promise<ProcessorRecord[]> {
  const rows = await db
    .selectFrom('governance_processors')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
  return rows.map(recordOf);
}

export async function readProcessor(
  db: GovernanceDb,
  tenantId: string,
  id: string,
): Promise<ProcessorRecord | undefined> {
  const row = await db
    .selectFrom('governance_processors')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? recordOf(row) : undefined;
}

/** Creates or replaces the entry with this id. */
export async function upsertProcessor(
  db: GovernanceDb,
  tenantId: string,
  record: ProcessorRecord,
): Promise<void> {
  const values = {
    name: record.name,
    role: record.role,
    contact: record.contact ?? null,
    countries: JSON.stringify(record.countries),
    categories: JSON.stringify(record.categories),
    systems: JSON.stringify(record.systems),
    dpa: record.dpa ? JSON.stringify(record.dpa) : null,
    sub_processors: JSON.stringify(record.subProcessors),
    dpf_certified: record.dpfCertified,
    mechanism: record.mechanism ? JSON.stringify(record.mechanism) : null,
    tia: record.tia ? JSON.stringify(record.tia) : null,
    updated_at: new Date(),
  };
  await db
    .insertInto('governance_processors')
    .values({ tenant_id: tenantId, id: record.id, created_at: new Date(), ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet(values))
    .execute();
}

export async function deleteProcessor(db: GovernanceDb, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('governance_processors')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
