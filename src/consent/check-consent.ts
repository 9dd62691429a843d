import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AppServices } from '../http/steward-app.ts';
import type { SubjectConsent } from './consent-cache.ts';
import { decideConsent, errorDecision, governingNotice, type ConsentDecision, type ConsentStateRow } from './consent-decision.ts';
import { subjectCacheKey } from './consent-notifications.ts';
import { isTcfPurpose } from './consent-purposes.ts';
import { loadCurrentNotices, type Notice } from './notices.ts';
import { decideTcf, loadTcfSummary } from './tcf-records.ts';

export interface CheckQuery {
  subject: string;
  purpose: string;
  /** Where the subject is (DE, US-CA): selects the notice that applies there. */
  jurisdiction?: string | undefined;
}

/**
 * May this subject's data be processed for this purpose? Answered from the process's cache when it
 * is known to be current, else from the database. It fails closed: any error or a database slower
 * than `consent.checkTimeoutMs` answers "not allowed" with reason `error`.
 */
export async function checkConsent(services: AppServices, tenantId: string, query: CheckQuery): Promise<ConsentDecision> {
  return (await checkConsents(services, tenantId, [query]))[0]!;
}

/** The batch form: one answer per query, in order; each fails closed on its own. */
export async function checkConsents(services: AppServices, tenantId: string, queries: CheckQuery[]): Promise<ConsentDecision[]> {
  const cache = services.consent.cache;
  const now = new Date();
  const notices = cache.notices(tenantId);
  const answers: Array<ConsentDecision | undefined> = [];
  let missing = notices === undefined;
  for (const query of queries) {
    const known = notices && cache.subject(tenantId, subjectCacheKey(query.subject));
    const answer = notices && known ? decide(query, notices, known, now) : undefined;
    if (!answer) missing = true;
    answers.push(answer);
  }
  if (!missing) return answers as ConsentDecision[];
  try {
    return await withTimeout(services.config.consent.checkTimeoutMs, async () => {
      const current = notices ?? (await loadNotices(services, tenantId));
      return Promise.all(
        queries.map(async (query, index) => answers[index] ?? decide(query, current, await loadSubject(services, tenantId, query.subject), now)),
      );
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.logger.warn({ err: error, tenantId }, 'consent check failed closed');
    return queries.map((query, index) => answers[index] ?? errorDecision(query.purpose, message));
  }
}

function decide(query: CheckQuery, notices: Notice[], consent: SubjectConsent, now: Date): ConsentDecision {
  if (isTcfPurpose(query.purpose)) return decideTcf(query.purpose, consent.tcf);
  return decideConsent(query.purpose, governingNotice(notices, query.purpose, query.jurisdiction), consent.states.get(query.purpose), now);
}

async function loadNotices(services: AppServices, tenantId: string): Promise<Notice[]> {
  const generation = services.consent.cache.generation;
  const notices = await loadCurrentNotices(services.database.db, tenantId);
  services.consent.cache.storeNotices(tenantId, notices, generation);
  return notices;
}

async function loadSubject(services: AppServices, tenantId: string, subject: string): Promise<SubjectConsent> {
  const cache = services.consent.cache;
  const key = subjectCacheKey(subject);
  const cached = cache.subject(tenantId, key);
  if (cached) return cached;
  const generation = cache.generation;
  const value = await readSubjectConsent(services.database.db, tenantId, subject);
  cache.storeSubject(tenantId, key, value, generation);
  return value;
}

/** A subject's current state for every purpose, and their latest TC string, from the database. */
export async function readSubjectConsent(db: Kysely<Database>, tenantId: string, subject: string): Promise<SubjectConsent> {
  const [rows, tcf] = await Promise.all([
    db
      .selectFrom('consent_state')
      .select(['purpose', 'status', 'ledger_id', 'notice_key', 'notice_version', 'legal_basis', 'source', 'occurred_at', 'expires_at'])
      .where('tenant_id', '=', tenantId)
      .where('subject', '=', subject)
      .execute(),
    loadTcfSummary(db, tenantId, subject),
  ]);
  const states = new Map<string, ConsentStateRow>();
  for (const row of rows) {
    states.set(row.purpose, {
      purpose: row.purpose,
      status: row.status,
      ledgerId: row.ledger_id,
      noticeKey: row.notice_key,
      noticeVersion: row.notice_version,
      legalBasis: row.legal_basis,
      source: row.source,
      occurredAt: row.occurred_at,
      expiresAt: row.expires_at,
    });
  }
  return { states, tcf };
}

async function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
