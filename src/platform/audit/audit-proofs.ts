import type { AuditDatabase } from './store/audit-database.ts';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { EMPTY_TREE_ROOT } from './merkle-hash.ts';
import {
  consistencyPath,
  inclusionPath,
  nodesNeededBy,
  type NodeReader,
  subtreeHash,
} from './merkle-proof-paths.ts';
import { readTreeNodes } from './read-tree-nodes.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

type Db = DbHandle<AuditDatabase>;

/** The integrated size and root of a tenant's log right now. */
export interface TreeHead {
  treeSize: number;
  rootHash: Uint8Array;
}

export interface InclusionProof {
  index: number;
  treeSize: number;
  leafHash: Uint8Array;
  proof: Uint8Array[];
  rootHash: Uint8Array;
}

export interface ConsistencyProof {
  from: number;
  to: number;
  proof: Uint8Array[];
  fromRootHash: Uint8Array;
  toRootHash: Uint8Array;
}

export async function currentTreeHead(db: Db, tenantId: string): Promise<TreeHead> {
  const state = await db
    .selectFrom('audit_tree_state')
    .select(['tree_size', 'root_hash'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return state
    ? { treeSize: state.tree_size, rootHash: state.root_hash }
    : { treeSize: 0, rootHash: EMPTY_TREE_ROOT };
}

/** The root the log had when it held `treeSize` entries, from stored subtrees. */
export async function rootHashAt(db: Db, tenantId: string, treeSize: number): Promise<Uint8Array> {
  await requireTreeSize(db, tenantId, treeSize);
  if (treeSize === 0) return EMPTY_TREE_ROOT;
  return withNodes(db, tenantId, (read) => subtreeHash(read, 0, treeSize));
}

/** RFC 9162 inclusion proof of entry `index` in the tree of `treeSize` entries. */
export async function proveInclusion(
  db: Db,
  tenantId: string,
  index: number,
  treeSize: number,
): Promise<InclusionProof> {
  await requireTreeSize(db, tenantId, treeSize);
  if (index < 0 || index >= treeSize) {
    throw new InvalidInput(
      'audit.index_out_of_range',
      `Entry ${index} is not in a tree of ${treeSize} entries; pass an index below treeSize.`,
      { index, treeSize },
    );
  }
  return withNodes(db, tenantId, (read) => ({
    index,
    treeSize,
    leafHash: read(0, index),
    proof: inclusionPath(read, index, treeSize),
    rootHash: subtreeHash(read, 0, treeSize),
  }));
}

/** RFC 9162 consistency proof that the tree of `to` entries extends the tree of `from` entries. */
export async function proveConsistency(
  db: Db,
  tenantId: string,
  from: number,
  to: number,
): Promise<ConsistencyProof> {
  if (from > to)
    throw new InvalidInput('audit.sizes_reversed', `from (${from}) must not exceed to (${to}).`, {
      from,
      to,
    });
  await requireTreeSize(db, tenantId, to);
  return withNodes(db, tenantId, (read) => ({
    from,
    to,
    proof: consistencyPath(read, from, to),
    fromRootHash: from === 0 ? EMPTY_TREE_ROOT : subtreeHash(read, 0, from),
    toRootHash: to === 0 ? EMPTY_TREE_ROOT : subtreeHash(read, 0, to),
  }));
}

async function withNodes<T>(db: Db, tenantId: string, compute: (read: NodeReader) => T): Promise<T> {
  const read = await readTreeNodes(db, tenantId, nodesNeededBy(compute));
  return compute(read);
}

async function requireTreeSize(db: Db, tenantId: string, treeSize: number): Promise<void> {
  const head = await currentTreeHead(db, tenantId);
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > head.treeSize) {
    throw new InvalidInput(
      'audit.tree_size_unknown',
      `The audit log of tenant ${tenantId} has ${head.treeSize} entries; ask for a tree size between 0 and ${head.treeSize}.`,
      {
        treeSize,
        current: head.treeSize,
      },
    );
  }
}
