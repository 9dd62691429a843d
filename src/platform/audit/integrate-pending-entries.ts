import { randomBytes } from 'node:crypto';
import { type Selectable, sql, type Transaction } from 'kysely';
import type { AuditDatabase } from './store/audit-database.ts';
import { type PendingAuditEntry, withSubjectPseudonym } from './audit-entry.ts';
import type { AuditPendingTable } from './store/audit-tables.ts';
import { canonicalJson } from './canonical-json.ts';
import {
  appendLeaf,
  decodeFrontier,
  emptyFrontier,
  encodeFrontier,
  frontierRoot,
  type MerkleFrontier,
} from './merkle-frontier.ts';
import { hashLeaf } from './merkle-hash.ts';
import { commitToSideRecord } from './side-record-commitment.ts';
import { pseudonymiseSubject } from './subject-pseudonym.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** The one advisory lock all integrators take, across every Steward process on the database. */
const INTEGRATOR_LOCK = 7_271_903_001;

export interface IntegrationSettings {
  pseudonymKey: Uint8Array;
  batchSize: number;
}

type PendingRow = Selectable<AuditPendingTable>;

/**
 * Appends every committed pending event to its tenant's Merkle log and returns how many it
 * appended. Integrators in any number of processes serialise on one transaction-scoped advisory
 * lock, and a batch's leaves, nodes, tree state and the removal of its pending rows commit
 * together, so indices stay contiguous and no event is appended twice or lost in a crash.
 */
export async function integratePendingEntries(
  db: DbHandle<AuditDatabase>,
  settings: IntegrationSettings,
): Promise<number> {
  let total = 0;
  for (;;) {
    const appended = await db.transaction().execute((trx) => integrateBatch(trx, settings));
    total += appended;
    if (appended < settings.batchSize) return total;
  }
}

async function integrateBatch(
  trx: Transaction<AuditDatabase>,
  settings: IntegrationSettings,
): Promise<number> {
  // Taken before any read: under READ COMMITTED the statements below then see the previous holder's commit.
  await sql`select pg_advisory_xact_lock(${INTEGRATOR_LOCK})`.execute(trx);
  // Claimed and removed in one statement; a crash rolls the removal back with everything else.
  const { rows: claimed } = await sql<PendingRow>`
    delete from audit_pending
    where id in (select id from audit_pending order by id limit ${settings.batchSize})
    returning id, tenant_id, body, subject_ref, source_address, salt, action, recorded_at, forget_details`.execute(
    trx,
  );
  if (claimed.length === 0) return 0;
  claimed.sort((a, b) => a.id - b.id);
  for (const [tenantId, rows] of groupByTenant(claimed))
    await appendToTenantLog(trx, tenantId, rows, settings.pseudonymKey);
  return claimed.length;
}

async function appendToTenantLog(
  trx: Transaction<AuditDatabase>,
  tenantId: string,
  rows: PendingRow[],
  pseudonymKey: Uint8Array,
): Promise<void> {
  const state = await trx
    .selectFrom('audit_tree_state')
    .select(['tree_size', 'frontier'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const frontier: MerkleFrontier = state ? decodeFrontier(state.tree_size, state.frontier) : emptyFrontier();
  const entries = {
    idx: [] as number[],
    entry: [] as string[],
    leafHash: [] as Uint8Array[],
    action: [] as string[],
    recordedAt: [] as string[],
  };
  const details = {
    idx: [] as number[],
    salt: [] as Uint8Array[],
    subjectRef: [] as (string | null)[],
    sourceAddress: [] as (string | null)[],
  };
  const nodes = { level: [] as number[], position: [] as number[], hash: [] as Uint8Array[] };
  for (const row of rows) {
    const idx = frontier.size;
    const { body, salt } = withCommitment(row);
    // A forgotten subject's leaf keeps its commitment, which without the side record reveals nothing.
    if (salt && !row.forget_details) {
      details.idx.push(idx);
      details.salt.push(salt);
      details.subjectRef.push(row.subject_ref);
      details.sourceAddress.push(row.source_address);
    }
    const canonical =
      row.subject_ref === null
        ? body
        : withSubjectPseudonym(body, pseudonymiseSubject(pseudonymKey, tenantId, row.subject_ref));
    // The canonical text is stored as is; every later hash is of these exact bytes.
    const leafHash = hashLeaf(Buffer.from(canonical, 'utf8'));
    for (const node of appendLeaf(frontier, leafHash)) {
      nodes.level.push(node.level);
      nodes.position.push(node.position);
      nodes.hash.push(node.hash);
    }
    entries.idx.push(idx);
    entries.entry.push(canonical);
    entries.leafHash.push(leafHash);
    const { action, time } =
      row.action && row.recorded_at
        ? { action: row.action, time: row.recorded_at.toISOString() }
        : (JSON.parse(body) as PendingAuditEntry);
    entries.action.push(action);
    entries.recordedAt.push(time);
  }
  // One statement per table with a parameter per column (unnest), not per value: far cheaper to
  // parse and plan than thousands of VALUES rows.
  await sql`
    insert into audit_entries (tenant_id, idx, entry, leaf_hash, action, recorded_at)
    select ${tenantId}, * from unnest(${entries.idx}::bigint[], ${entries.entry}::text[], ${entries.leafHash}::bytea[], ${entries.action}::text[], ${entries.recordedAt}::timestamptz[])`.execute(
    trx,
  );
  if (details.idx.length > 0) {
    await sql`
      insert into audit_entry_details (tenant_id, idx, salt, subject_ref, source_address)
      select ${tenantId}, * from unnest(${details.idx}::bigint[], ${details.salt}::bytea[], ${details.subjectRef}::text[], ${details.sourceAddress}::text[])`.execute(
      trx,
    );
  }
  if (nodes.level.length > 0) {
    await sql`
      insert into audit_tree_nodes (tenant_id, level, position, hash)
      select ${tenantId}, * from unnest(${nodes.level}::smallint[], ${nodes.position}::bigint[], ${nodes.hash}::bytea[])`.execute(
      trx,
    );
  }
  const next = {
    tree_size: frontier.size,
    frontier: encodeFrontier(frontier),
    root_hash: frontierRoot(frontier),
    updated_at: new Date(),
  };
  await trx
    .insertInto('audit_tree_state')
    .values({ tenant_id: tenantId, ...next })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(next))
    .execute();
}

/**
 * The pending body with its side-record commitment. Events recorded before the commitment was made
 * at record time (by the first schema version: salt, action and time null) get theirs here.
 */
function withCommitment(row: PendingRow): { body: string; salt: Uint8Array | null } {
  if (row.salt !== null || (row.subject_ref === null && row.source_address === null))
    return { body: row.body, salt: row.salt };
  const salt = randomBytes(16);
  const entry: PendingAuditEntry = {
    ...(JSON.parse(row.body) as PendingAuditEntry),
    private: commitToSideRecord(salt, { subjectRef: row.subject_ref, sourceAddress: row.source_address }),
  };
  return { body: canonicalJson(entry), salt };
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
