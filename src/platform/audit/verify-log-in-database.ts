import type { KeyObject } from 'node:crypto';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { AuditConfig } from './audit-config-schema.ts';
import { currentTreeHead } from './audit-proofs.ts';
import { lastTrustedCheckpoint } from './make-checkpoints.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from './merkle-frontier.ts';
import { hashLeaf, sameHash } from './merkle-hash.ts';
import { currentRowHashes, type RowAnchor } from './row-anchor.ts';
import { commitToSideRecord } from './side-record-commitment.ts';
import type { AuditDatabase } from './store/audit-database.ts';
import { pseudonymiseSubject } from './subject-pseudonym.ts';

const PAGE = 5_000;
/** Problems listed one by one; past this only their number is added, so a wholesale rewrite stays readable. */
const MAX_LISTED = 50;

export interface VerificationKeys {
  pseudonymKey: Uint8Array;
  signer: { name: string; publicKey: KeyObject };
}

export interface DatabaseLogVerification {
  tenantId: string;
  ok: boolean;
  /** Entries found in the database. */
  entries: number;
  /** What the tree state says the log holds. */
  treeSize: number;
  /** The signed checkpoint the entries were checked against, if there is one. */
  checkpointSize: number | undefined;
  sideRecords: number;
  anchors: number;
  problems: string[];
}

/**
 * Checks a tenant's log where it lives, everything the database holds about it: the entries are
 * contiguous, each hashes to its stored leaf, together they hash to the root in the tree state and
 * to the root the last trusted checkpoint signed (published outside the database when
 * `audit.publish.directory` is set); each side record matches its leaf's commitment and pseudonym;
 * each record a leaf anchors (a consent ledger entry) still hashes as it did. Streams the entries,
 * so memory does not grow with the log.
 */
export async function verifyLogInDatabase(
  db: DbHandle<AuditDatabase>,
  config: AuditConfig,
  keys: VerificationKeys,
  tenantId: string,
): Promise<DatabaseLogVerification> {
  const problems = new ProblemList();
  const head = await currentTreeHead(db, tenantId);
  const checkpoint = await lastTrustedCheckpoint(db, config, keys.signer, tenantId).catch((error: Error) => {
    problems.add(error.message);
    return undefined;
  });
  const frontier = emptyFrontier();
  let found = 0;
  let sideRecords = 0;
  let anchors = 0;
  let checkpointChecked = false;
  for (let from = 0; ; from += PAGE) {
    const rows = await db
      .selectFrom('audit_entries as e')
      .leftJoin('audit_entry_details as d', (join) =>
        join.onRef('d.tenant_id', '=', 'e.tenant_id').onRef('d.idx', '=', 'e.idx'),
      )
      .select(['e.idx', 'e.entry', 'e.leaf_hash', 'd.salt', 'd.subject_ref', 'd.source_address'])
      .where('e.tenant_id', '=', tenantId)
      .where('e.idx', '>=', from)
      .orderBy('e.idx')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    const pageAnchors: Array<RowAnchor & { idx: number }> = [];
    for (const row of rows) {
      const idx = Number(row.idx);
      found++;
      if (idx !== frontier.size) {
        problems.add(
          idx > frontier.size
            ? `entries ${frontier.size}–${idx - 1} are missing`
            : `entry ${idx} appears twice`,
        );
        if (idx < frontier.size) continue;
      }
      const leafHash = hashLeaf(Buffer.from(row.entry, 'utf8'));
      if (!sameHash(leafHash, row.leaf_hash))
        problems.add(`entry ${idx}: its text does not hash to its stored leaf (the entry was changed)`);
      // A gap is filled with empty leaves so that later entries keep their places; the roots then
      // differ from the signed ones, as they must.
      while (frontier.size < idx) appendLeaf(frontier, new Uint8Array(32));
      appendLeaf(frontier, leafHash);
      if (checkpoint && frontier.size === checkpoint.treeSize) {
        checkpointChecked = true;
        if (!sameHash(frontierRoot(frontier), checkpoint.rootHash))
          problems.add(
            `the first ${checkpoint.treeSize} entries do not hash to the root signed at checkpoint ${checkpoint.treeSize}: the log was rewritten`,
          );
      }
      const entry = parseEntry(row.entry);
      if (!entry) {
        problems.add(`entry ${idx} is not JSON`);
        continue;
      }
      if (row.salt) {
        sideRecords++;
        const committed = commitToSideRecord(row.salt, {
          subjectRef: row.subject_ref,
          sourceAddress: row.source_address,
        });
        if (committed !== entry.private)
          problems.add(
            `entry ${idx}: its side record does not match the leaf's commitment (the side record was changed)`,
          );
        if (
          row.subject_ref !== null &&
          entry.subject !== pseudonymiseSubject(keys.pseudonymKey, tenantId, row.subject_ref)
        )
          problems.add(`entry ${idx}: its side record names another subject than the leaf's pseudonym`);
      }
      const anchor = anchorOf(entry.details);
      if (anchor) pageAnchors.push({ ...anchor, idx });
    }
    anchors += pageAnchors.length;
    await checkAnchors(db, pageAnchors, problems);
    if (rows.length < PAGE) break;
  }
  if (found !== head.treeSize)
    problems.add(`the database holds ${found} entries but the tree state says ${head.treeSize}`);
  else if (!sameHash(frontierRoot(frontier), head.rootHash))
    problems.add('the entries do not hash to the root in the tree state');
  if (checkpoint && !checkpointChecked)
    problems.add(
      `the last checkpoint covers ${checkpoint.treeSize} entries but only ${found} remain: entries were removed`,
    );
  const listed = problems.list();
  return {
    tenantId,
    ok: listed.length === 0,
    entries: found,
    treeSize: head.treeSize,
    checkpointSize: checkpoint?.treeSize,
    sideRecords,
    anchors,
    problems: listed,
  };
}

async function checkAnchors(
  db: DbHandle<AuditDatabase>,
  anchors: Array<RowAnchor & { idx: number }>,
  problems: ProblemList,
): Promise<void> {
  const byTable = new Map<string, Array<RowAnchor & { idx: number }>>();
  for (const anchor of anchors) byTable.set(anchor.table, [...(byTable.get(anchor.table) ?? []), anchor]);
  for (const [table, list] of byTable) {
    const current = await currentRowHashes(
      db,
      table,
      list.map((a) => a.id),
    ).catch((error: Error) => {
      problems.add(`the ${table} records anchored in the log cannot be read: ${error.message}`);
      return undefined;
    });
    if (!current) continue;
    for (const anchor of list) {
      const hash = current.get(anchor.id);
      if (hash === undefined)
        problems.add(`${table} ${anchor.id}, anchored by entry ${anchor.idx}, no longer exists`);
      else if (hash !== anchor.sha256)
        problems.add(`${table} ${anchor.id} was changed after entry ${anchor.idx} anchored it`);
    }
  }
}

interface ParsedEntry {
  subject?: string;
  private?: string;
  details?: Record<string, unknown>;
}

function parseEntry(text: string): ParsedEntry | undefined {
  try {
    return JSON.parse(text) as ParsedEntry;
  } catch {
    return undefined;
  }
}

function anchorOf(details: Record<string, unknown> | undefined): RowAnchor | undefined {
  const anchor = details?.anchor as Partial<RowAnchor> | undefined;
  if (
    !anchor ||
    typeof anchor.table !== 'string' ||
    typeof anchor.id !== 'string' ||
    typeof anchor.sha256 !== 'string'
  )
    return undefined;
  return { table: anchor.table, id: anchor.id, sha256: anchor.sha256 };
}

class ProblemList {
  readonly #listed: string[] = [];
  #more = 0;
  add(problem: string): void {
    if (this.#listed.length < MAX_LISTED) this.#listed.push(problem);
    else this.#more++;
  }
  list(): string[] {
    return this.#more > 0 ? [...this.#listed, `… and ${this.#more} more problems`] : [...this.#listed];
  }
}
