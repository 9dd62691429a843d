import { sql, type QueryCreator } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { RequestRow } from './request-record.ts';

/** An open request of the same type naming one of the same identities, received within the window. */
export interface DuplicateQuery {
  tenantId: string;
  type: RequestRow['type'];
  /** Keyed hashes of the new request's identities. */
  hashes: string[];
  now: Date;
  /** `dsr.duplicateWindowDays`; 0 finds nothing. */
  windowDays: number;
}

/**
 * Adds `open_duplicate` (the earliest such request's id and contact hash, or no row) to a statement.
 * It starts from the identities' keyed hashes, which name a handful of requests, fenced in their
 * own materialised expression: left to itself the planner may walk every open request of the
 * window in received order instead (it did on freshly filled tables, whose statistics still said
 * empty), which costs in proportion to the backlog. Run it after the identities' advisory locks,
 * in a statement of its own or the intake's, so that it sees every intake that took them before.
 */
export function withOpenDuplicate(creator: QueryCreator<DsrDatabase>, query: DuplicateQuery) {
  const since = new Date(query.now.getTime() - query.windowDays * 24 * 3600 * 1000);
  return creator
    .with(
      (cte) => cte('identity_matches').materialized(),
      (db) =>
        db
          .selectFrom('dsr_request_identities')
          .select('request_id')
          .where('tenant_id', '=', query.tenantId)
          .where('value_hash', 'in', query.hashes),
    )
    .with('open_duplicate', (db) =>
      db
        .selectFrom('dsr_requests as r')
        .innerJoin('identity_matches as m', 'm.request_id', 'r.id')
        .select(['r.id', 'r.contact_hash'])
        .where('r.tenant_id', '=', query.tenantId)
        .where('r.type', '=', query.type)
        .where('r.closed_at', 'is', null)
        .where('r.received_at', '>=', since)
        .where(sql<boolean>`${sql.lit(query.windowDays > 0)}`)
        .orderBy('r.received_at', 'asc')
        .limit(1),
    );
}
