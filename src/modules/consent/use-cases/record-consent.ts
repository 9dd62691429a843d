import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { anchorRow } from '../../../platform/audit/row-anchor.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import type { ConsentServices } from '../consent-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { CONSENT_CHANNEL, subjectCacheKey, subjectChangedPayload } from '../core/consent-notifications.ts';
import { hashProof, type Proof, type ProofInput } from './consent-proof.ts';
import { assertKnownPurpose } from '../core/consent-purposes.ts';
import type { ConsentSource, LedgerAction, NoticeLegalBasis } from '../store/consent-tables.ts';
import { governingNotice } from '../core/consent-decision.ts';
import { consentOnlyFields, type ConsentOnlyField } from '../core/consent-only-fields.ts';
import { getNotice, loadCurrentNotices, type Notice } from './notices.ts';
import { enqueueWithdrawalErasure } from './withdrawal-erasure.ts';

/** One change a person (or an import, or a signal) makes to their consent for one purpose. */
export interface ConsentChange {
  subject: string;
  purpose: string;
  /** `given` to a purpose already validly given is recorded as `renewed`. */
  action: 'given' | 'withdrawn' | 'renewed';
  /** Notice key; required to give consent unless exactly one notice covers the purpose there. */
  notice?: string;
  /** Default: the notice's current version. */
  noticeVersion?: number;
  source: ConsentSource;
  /** Where the person is, e.g. DE or US-CA: picks the notice and is kept in the ledger. */
  jurisdiction?: string;
  proof?: ProofInput;
  /** When it happened, for imports of past consents; default now. */
  occurredAt?: Date;
}

/** A ledger entry as APIs, exports and access packages show it. */
export interface LedgerEntry {
  id: string;
  subject: string;
  purpose: string;
  action: LedgerAction;
  notice: string | null;
  noticeVersion: number | null;
  legalBasis: NoticeLegalBasis | null;
  source: ConsentSource;
  jurisdiction: string | null;
  proof: Proof | null;
  occurredAt: string;
  expiresAt: string | null;
  /** Withdrawals only: data the data map says is processed under this consent alone. */
  consentOnlyData?: ConsentOnlyField[];
}

export interface RecordOptions {
  /** `summary`: one audit event for the whole batch (imports); default one per entry. */
  audit?: 'each' | 'summary';
  /** Run inside this transaction instead of a new one (the caller invalidates the cache after commit). */
  within?: Transaction<ConsentDatabase>;
}

const SUBJECT_MAX = 512;

/**
 * Appends consent changes to the ledger, updates the current-state projection, writes one outbox
 * event per entry and the audit events, all in one transaction; on commit every replica's cache
 * drops the subjects. Per subject, writers serialise on an advisory lock and take the time after
 * acquiring it, so of two concurrent changes the one written last is the current state.
 */
export async function recordConsentChanges(
  services: ConsentServices,
  actor: ChangeActor,
  changes: ConsentChange[],
  options: RecordOptions = {},
): Promise<LedgerEntry[]> {
  for (const change of changes) validateChange(services, change);
  const run = async (trx: Transaction<ConsentDatabase>) =>
    appendAll(services, trx, actor, changes, options.audit ?? 'each');
  if (options.within) return run(options.within);
  const entries = await services.database.db.transaction().execute(run);
  invalidateSubjects(
    services,
    actor.tenantId,
    changes.map((c) => c.subject),
  );
  return entries;
}

/** Drops subjects from this process's cache at once (other processes hear the notification). */
export function invalidateSubjects(services: ConsentServices, tenantId: string, subjects: string[]): void {
  for (const subject of new Set(subjects))
    services.consent.cache.invalidateSubject(tenantId, subjectCacheKey(subject));
}

function validateChange(services: ConsentServices, change: ConsentChange): void {
  if (!change.subject || change.subject.length > SUBJECT_MAX) {
    throw new InvalidInput(
      'consent.bad_subject',
      `The subject must be a non-empty identifier of at most ${SUBJECT_MAX} characters.`,
    );
  }
  assertKnownPurpose(services.consent.taxonomy, change.purpose);
  if (change.occurredAt && change.occurredAt.getTime() > Date.now() + 60_000) {
    throw new InvalidInput(
      'consent.future_time',
      'occurredAt lies in the future; give the time the person actually decided.',
    );
  }
}

async function appendAll(
  services: ConsentServices,
  trx: Transaction<ConsentDatabase>,
  actor: ChangeActor,
  changes: ConsentChange[],
  audit: 'each' | 'summary',
): Promise<LedgerEntry[]> {
  const tenantId = actor.tenantId;
  // Lock subjects in a fixed order so two batches sharing subjects cannot deadlock.
  for (const subject of [...new Set(changes.map((c) => c.subject))].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`consent\t${tenantId}\t${subject}`}, 0))`.execute(
      trx,
    );
  }
  const notices = await loadCurrentNotices(trx, tenantId);
  const proofKey = changes.some((c) => c.proof) ? await services.consent.proofKey(trx, tenantId) : undefined;
  const dataMap = services.dataMaps.forTenant(tenantId);
  const entries: LedgerEntry[] = [];
  for (const change of changes) {
    const notice = await resolveNotice(trx, tenantId, notices, change);
    const entry = await appendEntry(services, trx, actor, change, notice, proofKey, audit === 'each');
    if (entry.action === 'withdrawn') {
      const only = consentOnlyFields(dataMap.dataMap, change.purpose);
      if (only.length > 0) entry.consentOnlyData = only;
      // An import records the past (whatever followed a withdrawal then was done then).
      if (
        only.length > 0 &&
        change.source !== 'import' &&
        services.config.consent.withdrawalErasure.enabled
      ) {
        await enqueueWithdrawalErasure(services, trx, { tenantId, ledgerId: entry.id });
      }
    }
    await publishEvent(trx, {
      tenantId,
      id: entry.id,
      type: `consent.${entry.action}`,
      source: 'consent',
      topic: `consent.${entry.purpose}`,
      subject: entry.subject,
      time: new Date(entry.occurredAt),
      data: { ...entry, proof: undefined },
    });
    entries.push(entry);
  }
  for (const subject of new Set(changes.map((c) => c.subject))) {
    await sql`select pg_notify(${CONSENT_CHANNEL}, ${subjectChangedPayload(tenantId, subject)})`.execute(trx);
  }
  if (audit === 'summary' && entries.length > 0) {
    await recordAuditEvent(trx, {
      tenantId,
      actor: { kind: actor.kind, id: actor.id },
      action: 'consent.imported',
      object: { type: 'consent_ledger', id: entries[0]!.id },
      outcome: 'success',
      ...(actor.requestId ? { requestId: actor.requestId } : {}),
      details: { entries: entries.length, subjects: new Set(entries.map((e) => e.subject)).size },
    });
  }
  return entries;
}

async function resolveNotice(
  trx: Transaction<ConsentDatabase>,
  tenantId: string,
  notices: Notice[],
  change: ConsentChange,
): Promise<Notice | undefined> {
  if (change.notice) {
    const notice = await getNotice(trx, tenantId, change.notice, change.noticeVersion);
    if (notice.purpose !== change.purpose) {
      throw new InvalidInput(
        'consent.notice_purpose_mismatch',
        `Notice "${change.notice}" is for purpose ${notice.purpose}, not ${change.purpose}.`,
        { notice: change.notice },
      );
    }
    return notice;
  }
  const governing = governingNotice(notices, change.purpose, change.jurisdiction);
  if (!governing && change.action !== 'withdrawn') {
    throw new InvalidInput(
      'consent.no_notice',
      `No notice covers purpose ${change.purpose}${change.jurisdiction ? ` in ${change.jurisdiction}` : ''}: consent must be given to a notice. Create one with POST /v1/consent/notices.`,
      { purpose: change.purpose },
    );
  }
  if (governing && change.noticeVersion !== undefined && change.noticeVersion !== governing.version) {
    return getNotice(trx, tenantId, governing.key, change.noticeVersion);
  }
  return governing;
}

async function appendEntry(
  services: ConsentServices,
  trx: Transaction<ConsentDatabase>,
  actor: ChangeActor,
  change: ConsentChange,
  notice: Notice | undefined,
  proofKey: string | undefined,
  auditEach: boolean,
): Promise<LedgerEntry> {
  const tenantId = actor.tenantId;
  if (change.action !== 'withdrawn' && notice?.mechanism === 'notice_only') {
    throw new InvalidInput(
      'consent.notice_only',
      `Notice "${notice.key}" informs without asking (notice_only); there is no consent to give for ${change.purpose}.`,
    );
  }
  // Taken after the subject's lock: a change that waited for another one is later than it.
  const occurredAt = change.occurredAt ?? new Date();
  const current = await trx
    .selectFrom('consent_state')
    .select(['status', 'expires_at'])
    .where('tenant_id', '=', tenantId)
    .where('subject', '=', change.subject)
    .where('purpose', '=', change.purpose)
    .executeTakeFirst();
  const validNow =
    current?.status === 'given' &&
    (current.expires_at === null || current.expires_at.getTime() > occurredAt.getTime());
  const action: LedgerAction = change.action === 'withdrawn' ? 'withdrawn' : validNow ? 'renewed' : 'given';
  const months = notice?.validityMonths ?? services.config.consent.validityMonths;
  const expiresAt = action === 'withdrawn' ? null : addMonths(occurredAt, months);
  const proof = proofKey && change.proof ? hashProof(proofKey, change.proof) : null;
  const id = randomUUID();
  const legalBasis = notice?.legalBasis ?? null;
  await trx
    .insertInto('consent_ledger')
    .values({
      id,
      tenant_id: tenantId,
      subject: change.subject,
      purpose: change.purpose,
      action,
      notice_id: notice?.id ?? null,
      notice_version: notice?.version ?? null,
      legal_basis: legalBasis,
      source: change.source,
      jurisdiction: change.jurisdiction ?? null,
      proof: proof ? JSON.stringify(proof) : null,
      occurred_at: occurredAt,
      expires_at: expiresAt,
      actor_kind: actor.kind,
      actor_id: actor.id,
    })
    .execute();
  const status = action === 'withdrawn' ? 'withdrawn' : 'given';
  const projected = {
    status,
    ledger_id: id,
    notice_id: notice?.id ?? null,
    notice_key: notice?.key ?? null,
    notice_version: notice?.version ?? null,
    legal_basis: legalBasis,
    source: change.source,
    occurred_at: occurredAt,
    expires_at: expiresAt,
    reminded_at: null,
  } as const;
  await trx
    .insertInto('consent_state')
    .values({ tenant_id: tenantId, subject: change.subject, purpose: change.purpose, ...projected })
    .onConflict((oc) =>
      // An imported past decision never overrides a later one already recorded.
      oc
        .columns(['tenant_id', 'subject', 'purpose'])
        .doUpdateSet(projected)
        .where('consent_state.occurred_at', '<=', occurredAt),
    )
    .execute();
  if (auditEach) {
    // The entry's hash goes into the leaf: a ledger row changed afterwards, even by a superuser with
    // the append-only trigger off, no longer matches it (`steward audit verify --database`).
    const anchor = await anchorRow(trx, 'consent_ledger', id);
    await recordAuditEvent(trx, {
      tenantId,
      actor: { kind: actor.kind, id: actor.id },
      action: `consent.${action}`,
      object: { type: 'consent', id },
      outcome: 'success',
      subjectRef: change.subject,
      ...(actor.requestId ? { requestId: actor.requestId } : {}),
      ...(change.proof?.ipAddress ? { sourceAddress: change.proof.ipAddress } : {}),
      details: {
        purpose: change.purpose,
        notice: notice?.key ?? null,
        noticeVersion: notice?.version ?? null,
        source: change.source,
        anchor,
      },
    });
  }
  return {
    id,
    subject: change.subject,
    purpose: change.purpose,
    action,
    notice: notice?.key ?? null,
    noticeVersion: notice?.version ?? null,
    legalBasis,
    source: change.source,
    jurisdiction: change.jurisdiction ?? null,
    proof,
    occurredAt: occurredAt.toISOString(),
    expiresAt: expiresAt?.toISOString() ?? null,
  };
}

/** Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}
