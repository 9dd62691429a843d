import { randomBytes } from 'node:crypto';
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AuditEntry, PendingAuditEntry } from './audit-entry.ts';
import { canonicalJson } from './canonical-json.ts';
import { appendLeaf, type CompletedNode, decodeFrontier, emptyFrontier, encodeFrontier, frontierRoot, type MerkleFrontier } from './merkle-frontier.ts';
import { hashLeaf } from './merkle-hash.ts';
import { commitToSideRecord } from './side-record-commitment.ts';
import { pseudonymiseSubject } from './subject-pseudonym.ts';

/** The one advisory lock all integrators take, across every Steward process on the database. */
const INTEGRATOR_LOCK = 7_271_903_001;
/** Rows per INSERT statement, far below PostgreSQL's 65 535 bind parameters. */
const INSERT_CHUNK = 1_000;

export interface IntegrationSettings {
  pseudonymKey: Uint8Array;
  batchSize: number;
}

type PendingRow = { id: number; tenant_id: string; body: string; subject_ref: string | null; source_address: string | null };

/**
 * Appends every committed pending event to its tenant's Merkle log and returns how many it
 * appended. Integrators in any number of processes serialise on one transaction-scoped advisory
 * lock, and a batch's leaves, nodes, tree state and the removal of its pending rows commit
 * together, so indices stay contiguous and no event is appended twice or lost in a crash.
 */
export async function integratePendingEntries(db: Kysely<Database>, settings: IntegrationSettings): Promise<number> {
  let total = 0;
  for (;;) {
    const appended = await db.transaction().execute((trx) => integrateBatch(trx, settings));
    total += appended;
    if (appended < settings.batchSize) return total;
  }
}

async function integrateBatch(trx: Transaction<Database>, settings: IntegrationSettings): Promise<number> {
  // Taken before any read: under READ COMMITTED the reads below then see the previous holder's commit.
  await sql`select pg_advisory_xact_lock(${INTEGRATOR_LOCK})`.execute(trx);
  const pending = await trx.selectFrom('audit_pending').selectAll().orderBy('id').limit(settings.batchSize).execute();
  if (pending.length === 0) return 0;
  for (const [tenantId, rows] of groupByTenant(pending)) await appendToTenantLog(trx, tenantId, rows, settings.pseudonymKey);
  for (let i = 0; i < pending.length; i += INSERT_CHUNK) {
    await trx.deleteFrom('audit_pending').where('id', 'in', pending.slice(i, i + INSERT_CHUNK).map((row) => row.id)).execute();
  }
  return pending.length;
}

async function appendToTenantLog(trx: Transaction<Database>, tenantId: string, rows: PendingRow[], pseudonymKey: Uint8Array): Promise<void> {
  const state = await trx.selectFrom('audit_tree_state').select(['tree_size', 'frontier']).where('tenant_id', '=', tenantId).executeTakeFirst();
  const frontier: MerkleFrontier = state ? decodeFrontier(state.tree_size, state.frontier) : emptyFrontier();
  const entries: Insertable<Database['audit_entries']>[] = [];
  const details: Insertable<Database['audit_entry_details']>[] = [];
  const nodes: CompletedNode[] = [];
  for (const row of rows) {
    const idx = frontier.size;
    const pendingEntry = JSON.parse(row.body) as PendingAuditEntry;
    const entry: AuditEntry = { ...pendingEntry };
    if (row.subject_ref !== null) entry.subject = pseudonymiseSubject(pseudonymKey, tenantId, row.subject_ref);
    if (row.subject_ref !== null || row.source_address !== null) {
      const salt = randomBytes(16);
      entry.private = commitToSideRecord(salt, { subjectRef: row.subject_ref, sourceAddress: row.source_address });
      details.push({ tenant_id: tenantId, idx, salt, subject_ref: row.subject_ref, source_address: row.source_address });
    }
    // The canonical text is stored as is; every later hash is of these exact bytes.
    const canonical = canonicalJson(entry);
    const leafHash = hashLeaf(Buffer.from(canonical, 'utf8'));
    nodes.push(...appendLeaf(frontier, leafHash));
    entries.push({ tenant_id: tenantId, idx, entry: canonical, leaf_hash: leafHash, action: entry.action, recorded_at: entry.time });
  }
  await insertInChunks(trx, 'audit_entries', entries);
  await insertInChunks(trx, 'audit_entry_details', details);
  await insertInChunks(
    trx,
    'audit_tree_nodes',
    nodes.map((node) => ({ tenant_id: tenantId, level: node.level, position: node.position, hash: node.hash })),
  );
  const next = { tree_size: frontier.size, frontier: encodeFrontier(frontier), root_hash: frontierRoot(frontier), updated_at: new Date() };
  await trx
    .insertInto('audit_tree_state')
    .values({ tenant_id: tenantId, ...next })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(next))
    .execute();
}

async function insertInChunks<T extends 'audit_entries' | 'audit_entry_details' | 'audit_tree_nodes'>(
  trx: Transaction<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx.insertInto(table).values(rows.slice(i, i + INSERT_CHUNK) as never).execute();
  }
}

function groupByTenant(rows: PendingRow[]): Map<string, PendingRow[]> {
  const groups = new Map<string, PendingRow[]>();
  for (const row of rows) {
    const group = groups.get(row.tenant_id) ?? [];
    group.push(row);
    groups.set(row.tenant_id, group);
  }
  return groups;
}
