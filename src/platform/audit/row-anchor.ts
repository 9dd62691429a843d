import { sql } from 'kysely';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { AuditDatabase } from './store/audit-database.ts';

/**
 * A record of another table anchored in an audit leaf: its table, id and the SHA-256 of its row as
 * written (`audit_row_sha256`, the row's JSON text under UTC). Whoever changes the row afterwards —
 * even a superuser with triggers off (`session_replication_role = replica`) — makes it differ from
 * the leaf, which cannot be changed without breaking the signed tree; `verifyLogInDatabase` finds it.
 */
export interface RowAnchor {
  table: string;
  id: string;
  sha256: string;
}

const TABLE = /^[a-z_][a-z0-9_]{0,62}$/;

/** The anchor of row `id` of `table` as it is now, in the caller's transaction (put it in the event's details as `anchor`). */
export async function anchorRow(trx: DbHandle<AuditDatabase>, table: string, id: string): Promise<RowAnchor> {
  const [hash] = (await currentRowHashes(trx, table, [id])).values();
  if (hash === undefined)
    throw new InvalidInput('audit.anchor_missing', `There is no row ${id} in ${table} to anchor.`, {
      table,
      id,
    });
  return { table, id, sha256: hash };
}

/** The current hashes of the rows of `table` with the given ids (absent ids are missing from the map). */
export async function currentRowHashes(
  db: DbHandle<AuditDatabase>,
  table: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (!TABLE.test(table))
    throw new InvalidInput('audit.anchor_table', `"${table}" is not a table name an anchor can name.`, {
      table,
    });
  const { rows } = await sql<{ id: string; sha256: string }>`
    select t.id::text as id, audit_row_sha256(t) as sha256 from ${sql.table(table)} t
    where t.id::text = any(${[...ids]}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.id, row.sha256]));
}
