import type { DpiaContent, DpiaVersion } from '../core/dpia.ts';
import type { GovernanceDb } from './governance-db.ts';

export interface DpiaSummary {
  id: string;
  activityId: string;
  currentVersion: number;
  createdAt: string;
}

export async function listDpias(db: GovernanceDb, tenantId: string): Promise<DpiaSummary[]> {
  const rows = await db
    .selectFrom('governance_dpias')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    activityId: r.activity_id,
    currentVersion: r.current_version,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function readDpiaVersions(
  db: GovernanceDb,
  tenantId: string,
  dpiaId: string,
): Promise<DpiaVersion[]> {
  const rows = await db
    .selectFrom('governance_dpia_versions as v')
    .innerJoin('governance_dpias as d', (j) =>
      j.onRef('d.tenant_id', '=', 'v.tenant_id').onRef('d.id', '=', 'v.dpia_id'),
    )
    .select(['v.dpia_id', 'v.version', 'v.content', 'v.created_by', 'v.created_at', 'd.activity_id'])
    .where('v.tenant_id', '=', tenantId)
    .where('v.dpia_id', '=', dpiaId)
    .orderBy('v.version')
    .execute();
  return rows.map((r) => ({
    dpiaId: r.dpia_id,
    version: r.version,
    activityId: r.activity_id,
    content: r.content as DpiaContent,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function insertDpia(db: GovernanceDb, tenantId: string, version: DpiaVersion): Promise<void> {
  await db
    .insertInto('governance_dpias')
    .values({
      tenant_id: tenantId,
      id: version.dpiaId,
      activity_id: version.activityId,
      current_version: version.version,
      created_at: version.createdAt,
    })
    .execute();
  await insertVersion(db, tenantId, version);
}

/**
 * Adds the next version. The version number is taken under the DPIA row's lock, so two editors
 * saving at once get consecutive versions instead of one overwriting the other.
 */
export async function addDpiaVersion(
  db: GovernanceDb,
  tenantId: string,
  dpiaId: string,
  content: DpiaContent,
  by: string,
  at: Date,
): Promise<DpiaVersion | undefined> {
  const row = await db
    .updateTable('governance_dpias')
    .set((eb) => ({ current_version: eb('current_version', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', dpiaId)
    .returning(['current_version', 'activity_id'])
    .executeTakeFirst();
  if (!row) return undefined;
  const version: DpiaVersion = {
    dpiaId,
    version: row.current_version,
    activityId: row.activity_id,
    content,
    createdBy: by,
    createdAt: at.toISOString(),
  };
  await insertVersion(db, tenantId, version);
  return version;
}

async function insertVersion(db: GovernanceDb, tenantId: string, version: DpiaVersion): Promise<void> {
  await db
    .insertInto('governance_dpia_versions')
    .values({
      tenant_id: tenantId,
      dpia_id: version.dpiaId,
      version: version.version,
      content: JSON.stringify(version.content),
      created_by: version.createdBy,
      created_at: version.createdAt,
    })
    .execute();
}
