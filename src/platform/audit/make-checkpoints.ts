import type { AuditDatabase } from './store/audit-database.ts';
import { Conflict } from '../../kernel/errors/domain-error.ts';
import type { AuditConfig } from './audit-config-schema.ts';
import type { CheckpointSigner } from './audit-keys.ts';
import { currentTreeHead, proveConsistency } from './audit-proofs.ts';
import { hasValidSignature, parseCheckpoint, signCheckpoint } from './checkpoint-note.ts';
import { latestPublishedCheckpoint, publishCheckpoint } from './checkpoint-publisher.ts';
import { sameHash } from './merkle-hash.ts';
import { verifyConsistency } from './merkle-proof-verification.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

export interface CheckpointOutcome {
  tenantId: string;
  treeSize: number;
  /** False when the latest checkpoint already covers the whole log. */
  created: boolean;
}

/** A tenant log's name in its checkpoints. */
export function logOrigin(config: AuditConfig, tenantId: string): string {
  return `${config.origin}/${tenantId}`;
}

/**
 * Signs and publishes a checkpoint for every tenant log that grew. Before signing, the new tree
 * must be provably consistent with the last checkpoint this signer published: a log whose rows were
 * rewritten (even with every hash recomputed) is refused rather than signed.
 */
export async function makeCheckpoints(
  db: DbHandle<AuditDatabase>,
  config: AuditConfig,
  signer: CheckpointSigner,
): Promise<CheckpointOutcome[]> {
  const tenants = await db.selectFrom('audit_tree_state').select('tenant_id').orderBy('tenant_id').execute();
  const outcomes: CheckpointOutcome[] = [];
  for (const { tenant_id: tenantId } of tenants)
    outcomes.push(await checkpointTenant(db, config, signer, tenantId));
  return outcomes;
}

/** Signs and publishes the checkpoint of one tenant's log (see makeCheckpoints); throws when its history was rewritten. */
export async function checkpointTenant(
  db: DbHandle<AuditDatabase>,
  config: AuditConfig,
  signer: CheckpointSigner,
  tenantId: string,
): Promise<CheckpointOutcome> {
  const head = await currentTreeHead(db, tenantId);
  const previous = await lastTrustedCheckpoint(db, config, signer, tenantId);
  if (previous) await requireExtension(db, tenantId, previous, head);
  const note = signCheckpoint(
    { origin: logOrigin(config, tenantId), treeSize: BigInt(head.treeSize), rootHash: head.rootHash },
    signer,
  );
  const created = !previous || previous.treeSize < head.treeSize;
  if (created) await publishCheckpoint(config.publish, tenantId, head.treeSize, note);
  // Also after a crash between publishing and this insert: the note is deterministic, so re-running completes it.
  await db
    .insertInto('audit_checkpoints')
    .values({
      tenant_id: tenantId,
      tree_size: head.treeSize,
      root_hash: head.rootHash,
      note: previous && !created ? previous.note : note,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'tree_size']).doNothing())
    .execute();
  return { tenantId, treeSize: head.treeSize, created };
}

interface TrustedCheckpoint {
  treeSize: number;
  rootHash: Uint8Array;
  note: string;
}

/** The newest checkpoint from outside the database when published to a directory, else from the table. */
export async function lastTrustedCheckpoint(
  db: DbHandle<AuditDatabase>,
  config: AuditConfig,
  signer: Pick<CheckpointSigner, 'name' | 'publicKey'>,
  tenantId: string,
): Promise<TrustedCheckpoint | undefined> {
  const published = config.publish.directory
    ? latestPublishedCheckpoint(config.publish.directory, tenantId)
    : await db
        .selectFrom('audit_checkpoints')
        .select(['tree_size as treeSize', 'note'])
        .where('tenant_id', '=', tenantId)
        .orderBy('tree_size', 'desc')
        .limit(1)
        .executeTakeFirst();
  if (!published) return undefined;
  const parsed = parseCheckpoint(published.note);
  if (
    !hasValidSignature(parsed, { name: signer.name, publicKey: signer.publicKey }) ||
    parsed.origin !== logOrigin(config, tenantId)
  ) {
    throw new Conflict(
      'audit.checkpoint_untrusted',
      `The last published checkpoint of tenant ${tenantId} (size ${published.treeSize}) is not signed by this log's key; refusing to continue the log from it.`,
      {
        tenantId,
        treeSize: published.treeSize,
      },
    );
  }
  return { treeSize: Number(parsed.treeSize), rootHash: parsed.rootHash, note: published.note };
}

async function requireExtension(
  db: DbHandle<AuditDatabase>,
  tenantId: string,
  previous: TrustedCheckpoint,
  head: { treeSize: number; rootHash: Uint8Array },
): Promise<void> {
  const rewritten = () =>
    new Conflict(
      'audit.history_rewritten',
      `The audit log of tenant ${tenantId} (size ${head.treeSize}) is not an extension of its signed checkpoint at size ${previous.treeSize}: entries were changed or removed outside Steward. No checkpoint was signed.`,
      {
        tenantId,
        checkpointSize: previous.treeSize,
        treeSize: head.treeSize,
      },
    );
  if (head.treeSize < previous.treeSize) throw rewritten();
  const proof = await proveConsistency(db, tenantId, previous.treeSize, head.treeSize).catch(() => {
    throw rewritten();
  });
  const consistent =
    sameHash(proof.toRootHash, head.rootHash) &&
    verifyConsistency(
      BigInt(previous.treeSize),
      BigInt(head.treeSize),
      proof.proof,
      previous.rootHash,
      head.rootHash,
    );
  if (!consistent) throw rewritten();
}
