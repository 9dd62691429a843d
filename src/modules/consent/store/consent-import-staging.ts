import { sql, type Transaction } from 'kysely';
import { copyTextLine } from '../../../kernel/database/dedicated-connection.ts';
import { publishEventsFrom } from '../../../platform/events/publish-event.ts';
import type { ConsentOnlyField } from '../core/consent-only-fields.ts';
import type { ConsentDatabase } from './consent-database.ts';
import type { ConsentSource, NoticeLegalBasis } from './consent-tables.ts';

/** One validated line of an import, with its notice resolved, as it is staged. */
export interface StagedConsentLine {
  line: number;
  subject: string;
  purpose: string;
  requested: 'given' | 'withdrawn';
  noticeId: string | null;
  noticeKey: string | null;
  noticeVersion: number | null;
  legalBasis: NoticeLegalBasis | null;
  source: ConsentSource;
  jurisdiction: string | null;
  occurredAt: Date;
  /** When a `given` on this line would lapse (the notice's validity from occurredAt). */
  expiresIfGiven: Date;
}

/**
 * Rows per statement when the staged import is written: every statement stays short (well inside
 * the statement timeout) and its working memory flat, whatever the size of the import.
 */
const CHUNK_ROWS = 50_000;

/** A temporary table for this transaction's import; COPY fills it (see `STAGING_COPY`). */
export async function createImportStaging(trx: Transaction<ConsentDatabase>): Promise<void> {
  await sql`
    create temporary table consent_import_lines (
      line integer not null,
      subject text not null,
      purpose text not null,
      requested text not null,
      notice_id text,
      notice_key text,
      notice_version integer,
      legal_basis text,
      source text not null,
      jurisdiction text,
      occurred_at timestamptz not null,
      expires_if_given timestamptz not null
    ) on commit drop`.execute(trx);
}

export const STAGING_COPY =
  'copy consent_import_lines (line, subject, purpose, requested, notice_id, notice_key, notice_version, legal_basis, source, jurisdiction, occurred_at, expires_if_given) from stdin';

/** The COPY text line of a staged line. */
export function stagingLine(line: StagedConsentLine): string {
  return copyTextLine([
    line.line,
    line.subject,
    line.purpose,
    line.requested,
    line.noticeId,
    line.noticeKey,
    line.noticeVersion,
    line.legalBasis,
    line.source,
    line.jurisdiction,
    line.occurredAt.toISOString(),
    line.expiresIfGiven.toISOString(),
  ]);
}

export interface AppliedImport {
  entries: number;
  /** The first ledger entry written (the audit event names it). */
  firstEntryId: string | undefined;
  /** Withdrawals made outside an import (source other than `import`) of purposes with consent-only data. */
  withdrawalsOfConsentOnlyData: string[];
}

/**
 * Writes the staged lines as the ledger entries, events and current state that recording them one
 * by one, oldest first, would write — set-based, without a lock per subject:
 * - a line's action: `withdrawn`, or `renewed` when the consent before it (the previous line of the
 *   same subject and purpose, or the current state when that is later) was given and not lapsed,
 *   else `given`;
 * - the ledger entries and one event each, in time order (ties in file order), each subject's
 *   events numbered on in its stream;
 * - last, each subject and purpose's latest line becomes the current state unless the state already
 *   holds a later decision. The projection only ever moves forward in time, so a live change
 *   committed meanwhile is never overwritten, and the rows it locks are held only from this step
 *   to the commit.
 */
export async function applyImportStaging(
  trx: Transaction<ConsentDatabase>,
  input: {
    tenantId: string;
    actor: { kind: string; id: string };
    /** Purposes whose withdrawal concerns data processed under consent alone, with those fields. */
    consentOnly: Record<string, ConsentOnlyField[]>;
  },
): Promise<AppliedImport> {
  const { tenantId } = input;
  // The window sorts and joins below run over the whole import: in memory, not in temporary files.
  await sql`set local work_mem = '64MB'`.execute(trx);
  await sql`analyze consent_import_lines`.execute(trx);
  // Ids in time order (the layout of a UUID version 7: the import's start in ms, 24 random bits,
  // then the entry's place in the import): each entry lands at the end of the ledger's and the
  // outbox's primary keys instead of on a random page, which keeps a million inserts cheap.
  await sql`
    create temporary table consent_import_entries on commit drop as
    with stamp as (
      select lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') as ms,
        lpad(to_hex((random() * 4095)::int), 3, '0') as a, lpad(to_hex((random() * 4095)::int), 3, '0') as b
    ),
    ordered as (
      select
        row_number() over (order by l.occurred_at, l.line) as seq,
        l.subject, l.purpose,
        case
          when l.requested = 'withdrawn' then 'withdrawn'
          when case
            when lag(l.occurred_at) over w is not null and (s.occurred_at is null or lag(l.occurred_at) over w >= s.occurred_at)
              then lag(l.requested) over w <> 'withdrawn' and lag(l.expires_if_given) over w > l.occurred_at
            else coalesce(s.status = 'given' and (s.expires_at is null or s.expires_at > l.occurred_at), false)
          end then 'renewed'
          else 'given'
        end as action,
        l.notice_id, l.notice_key, l.notice_version, l.legal_basis, l.source, l.jurisdiction, l.occurred_at,
        case when l.requested = 'withdrawn' then null else l.expires_if_given end as expires_at,
        lead(l.line) over w is null as latest
      from consent_import_lines l
      left join consent_state s on s.tenant_id = ${tenantId} and s.subject = l.subject and s.purpose = l.purpose
      window w as (partition by l.subject, l.purpose order by l.occurred_at, l.line)
    )
    select substr(ms, 1, 8) || '-' || substr(ms, 9, 4) || '-7' || a || '-8' || b || '-' || lpad(to_hex(seq), 12, '0') as id, ordered.*
    from ordered, stamp`.execute(trx);
  await sql`create index on consent_import_entries (seq)`.execute(trx);
  await sql`analyze consent_import_entries`.execute(trx);
  const { rows } = await sql<{ n: number; first: string | null }>`
    select count(*)::int as n, (select id from consent_import_entries where seq = 1) as first
    from consent_import_entries`.execute(trx);
  const entries = rows[0]?.n ?? 0;

  for (let from = 1; from <= entries; from += CHUNK_ROWS) {
    const to = from + CHUNK_ROWS - 1;
    await sql`
      insert into consent_ledger (id, tenant_id, subject, purpose, action, notice_id, notice_version, legal_basis,
        source, jurisdiction, proof, occurred_at, expires_at, actor_kind, actor_id)
      select id, ${tenantId}, subject, purpose, action, notice_id, notice_version, legal_basis,
        source, jurisdiction, null, occurred_at, expires_at, ${input.actor.kind}, ${input.actor.id}
      from consent_import_entries where seq between ${from} and ${to} order by seq`.execute(trx);
  }
  // Rows of the imported subjects are locked from here to the commit (their event streams, then
  // their state): everything that locks comes last, so a live write of one of them waits the least.
  for (let from = 1; from <= entries; from += CHUNK_ROWS) {
    const to = from + CHUNK_ROWS - 1;
    // The event of each entry, as recordConsentChanges publishes it (the entry without its proof).
    await publishEventsFrom(
      trx,
      tenantId,
      sql`
        select e.id, 'subject:' || e.subject as stream_key, 'consent.' || e.action as type, 'consent' as source,
          e.subject, 'consent.' || e.purpose as topic,
          jsonb_build_object(
            'id', e.id, 'subject', e.subject, 'purpose', e.purpose, 'action', e.action,
            'notice', e.notice_key, 'noticeVersion', e.notice_version, 'legalBasis', e.legal_basis,
            'source', e.source, 'jurisdiction', e.jurisdiction,
            'occurredAt', to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'expiresAt', to_char(e.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          ) || case when e.action = 'withdrawn' and ${JSON.stringify(input.consentOnly)}::jsonb ? e.purpose
              then jsonb_build_object('consentOnlyData', ${JSON.stringify(input.consentOnly)}::jsonb -> e.purpose)
              else '{}'::jsonb end as data,
          e.occurred_at, e.seq as ord
        from consent_import_entries e where e.seq between ${from} and ${to}`,
    );
  }
  const purposesWithConsentOnlyData = Object.keys(input.consentOnly);
  const withdrawals =
    purposesWithConsentOnlyData.length === 0
      ? []
      : (
          await sql<{ id: string }>`
            select id from consent_import_entries
            where action = 'withdrawn' and source <> 'import' and purpose = any(${purposesWithConsentOnlyData})
            order by seq`.execute(trx)
        ).rows.map((row) => row.id);

  // The latest entry of each subject and purpose, numbered in key order: each chunk then fills one
  // stretch of the state's primary key instead of touching all of it.
  await sql`
    create temporary table consent_import_latest on commit drop as
    select row_number() over (order by subject, purpose) as k, e.*
    from consent_import_entries e where e.latest`.execute(trx);
  await sql`create index on consent_import_latest (k)`.execute(trx);
  const { rows: latestRows } = await sql<{
    n: number;
  }>`select count(*)::int as n from consent_import_latest`.execute(trx);
  const latest = latestRows[0]?.n ?? 0;
  for (let from = 1; from <= latest; from += CHUNK_ROWS) {
    const to = from + CHUNK_ROWS - 1;
    await sql`
      insert into consent_state (tenant_id, subject, purpose, status, ledger_id, notice_id, notice_key, notice_version,
        legal_basis, source, occurred_at, expires_at, reminded_at)
      select ${tenantId}, subject, purpose, case when action = 'withdrawn' then 'withdrawn' else 'given' end, id,
        notice_id, notice_key, notice_version, legal_basis, source, occurred_at, expires_at, null
      from consent_import_latest where k between ${from} and ${to}
      order by k
      on conflict (tenant_id, subject, purpose) do update set
        status = excluded.status, ledger_id = excluded.ledger_id, notice_id = excluded.notice_id,
        notice_key = excluded.notice_key, notice_version = excluded.notice_version,
        legal_basis = excluded.legal_basis, source = excluded.source, occurred_at = excluded.occurred_at,
        expires_at = excluded.expires_at, reminded_at = null
      where consent_state.occurred_at <= excluded.occurred_at`.execute(trx);
  }
  return { entries, firstEntryId: rows[0]?.first ?? undefined, withdrawalsOfConsentOnlyData: withdrawals };
}
