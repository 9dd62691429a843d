import { createHash, randomUUID } from 'node:crypto';
import type { ManualRopaField, RecordOfProcessing, RopaFieldKey } from '../core/record-of-processing.ts';
import type { GovernanceDb } from './governance-db.ts';

export async function listManualFields(db: GovernanceDb, tenantId: string): Promise<ManualRopaField[]> {
  const rows = await db
    .selectFrom('governance_ropa_fields')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('entry_id')
    .orderBy('field')
    .execute();
  return rows.map((r) => ({
    entryId: r.entry_id,
    field: r.field as RopaFieldKey,
    lines: r.lines,
    by: r.written_by,
    at: r.written_at.toISOString(),
  }));
}

/** Writes (or replaces) a hand-written field; an empty `lines` removes it, so the generated text shows again. */
export async function setManualField(
  db: GovernanceDb,
  tenantId: string,
  field: ManualRopaField,
): Promise<void> {
  if (!field.lines.length) {
    await db
      .deleteFrom('governance_ropa_fields')
      .where('tenant_id', '=', tenantId)
      .where('entry_id', '=', field.entryId)
      .where('field', '=', field.field)
      .execute();
    return;
  }
  const values = { lines: JSON.stringify(field.lines), written_by: field.by, written_at: field.at };
  await db
    .insertInto('governance_ropa_fields')
    .values({ tenant_id: tenantId, entry_id: field.entryId, field: field.field, ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'entry_id', 'field']).doUpdateSet(values))
    .execute();
}

export interface StoredGeneration {
  id: string;
  generatedAt: string;
  digest: string;
}

/** The content of a record apart from when it was generated: equal digests mean nothing changed. */
export function recordDigest(record: RecordOfProcessing): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...record, generatedAt: '' }))
    .digest('hex');
}

/** Keeps a generation unless it equals the latest one; returns the generation that holds this content. */
export async function saveGeneration(
  db: GovernanceDb,
  record: RecordOfProcessing,
): Promise<StoredGeneration> {
  const digest = recordDigest(record);
  const latest = await db
    .selectFrom('governance_ropa_generations')
    .select(['id', 'generated_at', 'digest'])
    .where('tenant_id', '=', record.tenantId)
    .orderBy('generated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest?.digest === digest)
    return { id: latest.id, generatedAt: latest.generated_at.toISOString(), digest };
  const id = randomUUID();
  await db
    .insertInto('governance_ropa_generations')
    .values({
      id,
      tenant_id: record.tenantId,
      generated_at: record.generatedAt,
      digest,
      record: JSON.stringify(record),
    })
    .execute();
  return { id, generatedAt: record.generatedAt, digest };
}

export async function listGenerations(
  db: GovernanceDb,
  tenantId: string,
  limit: number,
): Promise<StoredGeneration[]> {
  const rows = await db
    .selectFrom('governance_ropa_generations')
    .select(['id', 'generated_at', 'digest'])
    .where('tenant_id', '=', tenantId)
    .orderBy('generated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, generatedAt: r.generated_at.toISOString(), digest: r.digest }));
}

export async function readGeneration(
  db: GovernanceDb,
  tenantId: string,
  id: string,
): Promise<RecordOfProcessing | undefined> {
  const row = await db
    .selectFrom('governance_ropa_generations')
    .select('record')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.record as RecordOfProcessing | undefined;
}
