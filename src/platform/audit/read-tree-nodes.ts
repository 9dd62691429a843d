import type { AuditDatabase } from './store/audit-database.ts';
import { Unavailable } from '../../kernel/errors/domain-error.ts';
import type { NodeKey, NodeReader } from './merkle-proof-paths.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/**
 * Fetches the stored complete subtrees a proof needs (leaf hashes for level 0, `audit_tree_nodes`
 * above) in two queries, and returns a reader over them.
 */
export async function readTreeNodes(
  db: DbHandle<AuditDatabase>,
  tenantId: string,
  keys: NodeKey[],
): Promise<NodeReader> {
  const found = new Map<string, Uint8Array>();
  const leafIndices = keys.filter((k) => k.level === 0).map((k) => k.position);
  const inner = keys.filter((k) => k.level > 0);
  if (leafIndices.length > 0) {
    const rows = await db
      .selectFrom('audit_entries')
      .select(['idx', 'leaf_hash'])
      .where('tenant_id', '=', tenantId)
      .where('idx', 'in', leafIndices)
      .execute();
    for (const row of rows) found.set(`0:${row.idx}`, row.leaf_hash);
  }
  if (inner.length > 0) {
    const rows = await db
      .selectFrom('audit_tree_nodes')
      .select(['level', 'position', 'hash'])
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb.or(inner.map((k) => eb.and([eb('level', '=', k.level), eb('position', '=', k.position)]))),
      )
      .execute();
    for (const row of rows) found.set(`${row.level}:${row.position}`, row.hash);
  }
  return (level, position) => {
    const hash = found.get(`${level}:${position}`);
    if (!hash) {
      throw new Unavailable(
        'audit.tree_incomplete',
        `The audit tree of tenant ${tenantId} lacks node ${level}/${position}; the log's tables were altered outside Steward.`,
        { level, position },
      );
    }
    return hash;
  };
}
