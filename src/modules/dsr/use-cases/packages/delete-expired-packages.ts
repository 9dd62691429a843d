import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { SYSTEM_ACTOR } from '../requests/request-actor.ts';
import { stagingDirectory } from './package-files.ts';

const BATCH = 500;

/**
 * Job `dsr.delete-expired-packages`: access packages are kept only `dsr.packages.retentionDays`
 * (GDPR Art. 5(1)(e)); each deletion is audited. Also removes staging files left behind by a
 * request that closed while a worker was interrupted.
 */
export async function deleteExpiredPackages(
  services: DsrServices,
  now = new Date(),
): Promise<{ packagesDeleted: number; stagingRemoved: number }> {
  const { db } = services.database;
  const dataDir = resolve(services.config.dsr.dataDir);
  const expired = await db
    .selectFrom('dsr_packages')
    .select(['tenant_id', 'request_id', 'file'])
    .where('deleted_at', 'is', null)
    .where('expires_at', '<', now)
    .limit(BATCH)
    .execute();
  for (const pkg of expired) {
    // File first: a crash after it leaves a row that is deleted again next time, never a file without a row.
    await rm(join(dataDir, pkg.file), { force: true });
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('dsr_packages')
        .set({ deleted_at: new Date() })
        .where('tenant_id', '=', pkg.tenant_id)
        .where('request_id', '=', pkg.request_id)
        .execute();
      await recordAuditEvent(trx, {
        tenantId: pkg.tenant_id,
        actor: SYSTEM_ACTOR,
        action: 'dsr.package.deleted',
        object: { type: 'dsr_request', id: pkg.request_id },
        outcome: 'success',
        reason: 'retention period of the access package ended',
      });
    });
  }
  return { packagesDeleted: expired.length, stagingRemoved: await removeStaleStaging(services, dataDir) };
}

async function removeStaleStaging(services: DsrServices, dataDir: string): Promise<number> {
  let removed = 0;
  const root = join(dataDir, 'staging');
  for (const tenantId of await listDirectory(root)) {
    const requestIds = await listDirectory(join(root, tenantId));
    if (requestIds.length === 0) continue;
    const closed = await services.database.db
      .selectFrom('dsr_requests')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', requestIds)
      .where('closed_at', 'is not', null)
      .execute();
    for (const { id } of closed) {
      await rm(join(dataDir, stagingDirectory(tenantId, id)), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

async function listDirectory(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
