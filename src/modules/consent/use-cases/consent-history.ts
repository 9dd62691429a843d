import { storedRanges, type IdRanges } from '../core/id-ranges.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';
import type { LedgerAction, ConsentSource, NoticeLegalBasis } from '../store/consent-tables.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

/** Everything Steward holds about one subject's consent: for exports and the GDPR Art. 15 access package. */
export interface ConsentHistory {
  subject: string;
  entries: Array<{
    id: string;
    purpose: string;
    action: LedgerAction;
    notice: string | null;
    noticeVersion: number | null;
    noticeTitle: string | null;
    legalBasis: NoticeLegalBasis | null;
    source: ConsentSource;
    jurisdiction: string | null;
    occurredAt: string;
    expiresAt: string | null;
    recordedAt: string;
  }>;
  current: Array<{
    purpose: string;
    status: 'given' | 'withdrawn' | 'expired';
    since: string;
    expiresAt: string | null;
  }>;
  tcStrings: Array<{
    id: string;
    tcString: string;
    cmpId: number;
    purposeConsents: number[];
    vendorConsents: IdRanges;
    recordedAt: string;
  }>;
}

/**
 * A subject's whole consent history, oldest first, with the notice versions they were shown, the
 * current state and their TC strings. Proof hashes are left out: they identify nothing for the
 * subject and only serve to compare with a value presented later. Callers audit the read.
 */
export async function consentHistoryForSubject(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  subject: string,
): Promise<ConsentHistory> {
  const [entries, current, tcStrings] = await Promise.all([
    db
      .selectFrom('consent_ledger as l')
      .leftJoin('consent_notices as n', 'n.id', 'l.notice_id')
      .leftJoin('consent_notice_versions as v', (join) =>
        join.onRef('v.notice_id', '=', 'l.notice_id').onRef('v.version', '=', 'l.notice_version'),
      )
      .select([
        'l.id',
        'l.purpose',
        'l.action',
        'n.key',
        'l.notice_version',
        'v.title',
        'l.legal_basis',
        'l.source',
        'l.jurisdiction',
        'l.occurred_at',
        'l.expires_at',
        'l.recorded_at',
      ])
      .where('l.tenant_id', '=', tenantId)
      .where('l.subject', '=', subject)
      .orderBy('l.position')
      .execute(),
    db
      .selectFrom('consent_state')
      .select(['purpose', 'status', 'occurred_at', 'expires_at'])
      .where('tenant_id', '=', tenantId)
      .where('subject', '=', subject)
      .orderBy('purpose')
      .execute(),
    db
      .selectFrom('consent_tcf_records')
      .select(['id', 'tc_string', 'cmp_id', 'purpose_consents', 'vendor_consents', 'recorded_at'])
      .where('tenant_id', '=', tenantId)
      .where('subject', '=', subject)
      .orderBy('position')
      .execute(),
  ]);
  return {
    subject,
    entries: entries.map((e) => ({
      id: e.id,
      purpose: e.purpose,
      action: e.action,
      notice: e.key,
      noticeVersion: e.notice_version,
      noticeTitle: e.title,
      legalBasis: e.legal_basis,
      source: e.source,
      jurisdiction: e.jurisdiction,
      occurredAt: e.occurred_at.toISOString(),
      expiresAt: e.expires_at?.toISOString() ?? null,
      recordedAt: e.recorded_at.toISOString(),
    })),
    current: current.map((c) => ({
      purpose: c.purpose,
      status: c.status,
      since: c.occurred_at.toISOString(),
      expiresAt: c.expires_at?.toISOString() ?? null,
    })),
    tcStrings: tcStrings.map((t) => ({
      id: t.id,
      tcString: t.tc_string,
      cmpId: t.cmp_id,
      purposeConsents: t.purpose_consents,
      vendorConsents: storedRanges(t.vendor_consents),
      recordedAt: t.recorded_at.toISOString(),
    })),
  };
}

/**
 * The consent histories of a data subject known by several identity values (their email, their
 * user id…: services may use any of them as the consent subject), for the access package. Values
 * under which nothing was ever recorded are left out.
 */
export async function consentHistoriesOf(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  identityValues: string[],
): Promise<ConsentHistory[]> {
  const histories: ConsentHistory[] = [];
  for (const subject of new Set(identityValues)) {
    const history = await consentHistoryForSubject(db, tenantId, subject);
    if (history.entries.length + history.current.length + history.tcStrings.length > 0)
      histories.push(history);
  }
  return histories;
}
