import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { AuditTables } from './store/audit-tables.ts';

/** How far the tenant's audit log is: leaves in the tree, events waiting to enter it, the last checkpoint. */
export interface AuditLogStatus {
  entries: number;
  pending: number;
  lastCheckpoint: { treeSize: number; createdAt: string; ageSeconds: number } | null;
}

/**
 * The tenant's audit log as of `now`: its size, the events recorded but not yet integrated, and
 * the newest signed checkpoint with its age (an old checkpoint means the checkpoint job is not running).
 */
export async function auditLogStatus(
  db: DbHandle<AuditTables>,
  tenantId: string,
  now: Date,
): Promise<AuditLogStatus> {
  const [tree, pending, checkpoint] = await Promise.all([
    db
      .selectFrom('audit_tree_state')
      .select('tree_size')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst(),
    db
      .selectFrom('audit_pending')
      .where('tenant_id', '=', tenantId)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('audit_checkpoints')
      .select(['tree_size', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    entries: tree?.tree_size ?? 0,
    pending: Number(pending.n),
    lastCheckpoint: checkpoint
      ? {
          treeSize: checkpoint.tree_size,
          createdAt: checkpoint.created_at.toISOString(),
          ageSeconds: Math.max(0, Math.round((now.getTime() - checkpoint.created_at.getTime()) / 1000)),
        }
      : null,
  };
}
