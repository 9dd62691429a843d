import { CompiledQuery, type InferResult } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { ConsentDatabase } from '../store/consent-database.ts';
import type { ConsentServices } from '../consent-services.ts';
import type { ConsentCache, SubjectConsent } from './consent-cache.ts';
import {
  decideConsent,
  errorDecision,
  governingNotice,
  type ConsentDecision,
  type ConsentStateRow,
} from '../core/consent-decision.ts';
import { isBuiltInPurpose, isTcfPurpose } from '../core/consent-purposes.ts';
import { consentCheckCounters } from '../metrics.ts';
import { loadCurrentNotices, type Notice } from './notices.ts';
import { decideTcf, TCF_SUMMARY_COLUMNS, tcfSummaryOf } from './tcf-records.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

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
export async function checkConsent(
  services: ConsentServices,
  tenantId: string,
  query: CheckQuery,
): Promise<ConsentDecision> {
  return (await checkConsents(services, tenantId, [query]))[0]!;
}

/** The batch form: one answer per query, in order; each fails closed on its own. */
export async function checkConsents(
  services: ConsentServices,
  tenantId: string,
  queries: CheckQuery[],
): Promise<ConsentDecision[]> {
  const cache = services.consent.cache;
  const now = new Date();
  const notices = cache.notices(tenantId);
  const answers = queries.map((query) =>
    notices ? cachedAnswer(cache, tenantId, query, notices, now) : undefined,
  );
  const counters = consentCheckCounters(services.metrics);
  const fromCache = answers.filter((answer) => answer !== undefined).length;
  counters.cache.inc(fromCache);
  if (fromCache === answers.length)
    return (answers as ConsentDecision[]).map((answer) => explainUnknownPurpose(services, answer));
  try {
    const decided = await withTimeout(services.config.consent.checkTimeoutMs, async () => {
      const current = notices ?? (await loadNotices(services, tenantId));
      return Promise.all(
        queries.map(async (query, index) =>
          explainUnknownPurpose(
            services,
            answers[index] ??
              decide(query, current, await loadSubject(services, tenantId, query.subject), now),
          ),
        ),
      );
    });
    counters.database.inc(answers.length - fromCache);
    return decided;
  } catch (error) {
    counters.error.inc(answers.length - fromCache);
    const message = error instanceof Error ? error.message : String(error);
    services.logger.warn({ err: error, tenantId }, 'consent check failed closed');
    return queries.map((query, index) => answers[index] ?? errorDecision(query.purpose, message));
  }
}

/**
 * The answer when the cache holds the notices and the subject, without waiting for anything;
 * undefined when the database must be asked (then call `checkConsent`). The hot path of the API.
 */
export function checkConsentFromCache(
  services: ConsentServices,
  tenantId: string,
  query: CheckQuery,
): ConsentDecision | undefined {
  const notices = services.consent.cache.notices(tenantId);
  const answer = notices && cachedAnswer(services.consent.cache, tenantId, query, notices, new Date());
  if (!answer) return undefined;
  consentCheckCounters(services.metrics).cache.inc();
  return explainUnknownPurpose(services, answer);
}

/**
 * A purpose no notice covers may simply be misspelt: when it is not a data use of the taxonomy (nor a
 * CCPA or TCF purpose), the answer says so, with the nearest uses, instead of a bare "no notice".
 * Still not allowed: the check fails closed whatever the purpose.
 */
function explainUnknownPurpose(services: ConsentServices, decision: ConsentDecision): ConsentDecision {
  const { purpose } = decision;
  if (decision.reason !== 'no_notice' || isTcfPurpose(purpose) || isBuiltInPurpose(purpose)) return decision;
  const found = services.consent.taxonomy.uses.lookup(purpose);
  if (found.status !== 'unknown') return decision;
  const hint = found.suggestions.length
    ? ` Did you mean ${found.suggestions.map((s) => `"${s}"`).join(' or ')}?`
    : '';
  return Object.freeze({
    ...decision,
    explanation: `Purpose "${purpose}" is not a data use in the taxonomy (nor a CCPA or TCF purpose), so nothing allows it.${hint}`,
  });
}

function cachedAnswer(
  cache: ConsentCache,
  tenantId: string,
  query: CheckQuery,
  notices: Notice[],
  now: Date,
): ConsentDecision | undefined {
  const known = cache.subject(tenantId, query.subject, now.getTime());
  return known && decide(query, notices, known, now);
}

/**
 * Decides, or repeats the decision already made from the same cached state and notices while it
 * still holds. Decisions are frozen: many requests share one.
 */
function decide(query: CheckQuery, notices: Notice[], consent: SubjectConsent, now: Date): ConsentDecision {
  const jurisdiction = query.jurisdiction ?? '';
  const memos = (consent.decisions ??= []);
  // A short list, not a map: a subject is asked about a few purposes, and this avoids hashing.
  for (const memo of memos) {
    if (
      memo.purpose === query.purpose &&
      memo.jurisdiction === jurisdiction &&
      memo.notices === notices &&
      now.getTime() < memo.until
    )
      return memo.decision;
  }
  const state = consent.states.get(query.purpose);
  const decision = deepFreeze(
    isTcfPurpose(query.purpose)
      ? decideTcf(query.purpose, consent.tcf)
      : decideConsent(query.purpose, governingNotice(notices, query.purpose, query.jurisdiction), state, now),
  );
  // A given consent's answer changes when it expires; nothing else in it depends on the time.
  const expiresAt =
    !isTcfPurpose(query.purpose) && state?.status === 'given'
      ? (state.expiresAt?.getTime() ?? Infinity)
      : Infinity;
  const until = expiresAt > now.getTime() ? expiresAt : Infinity;
  const stale = memos.findIndex(
    (memo) => memo.purpose === query.purpose && memo.jurisdiction === jurisdiction,
  );
  if (stale >= 0) memos.splice(stale, 1);
  else if (memos.length >= MEMOISED_PER_SUBJECT) memos.shift();
  memos.push({ purpose: query.purpose, jurisdiction, notices, until, decision });
  return decision;
}

/** Decisions (purpose and jurisdiction pairs) kept per cached subject. */
const MEMOISED_PER_SUBJECT = 8;

function deepFreeze(decision: ConsentDecision): ConsentDecision {
  if (decision.consent) Object.freeze(decision.consent);
  return Object.freeze(decision);
}

async function loadNotices(services: ConsentServices, tenantId: string): Promise<Notice[]> {
  const generation = services.consent.cache.generation;
  const notices = await loadCurrentNotices(services.database.db, tenantId);
  services.consent.cache.storeNotices(tenantId, notices, generation);
  return notices;
}

async function loadSubject(
  services: ConsentServices,
  tenantId: string,
  subject: string,
): Promise<SubjectConsent> {
  const cache = services.consent.cache;
  const cached = cache.subject(tenantId, subject);
  if (cached) return cached;
  const generation = cache.generation;
  const value = await readSubjectConsent(services.database.db, tenantId, subject);
  cache.storeSubject(tenantId, subject, value, generation);
  return value;
}

/**
 * A subject's current state for every purpose, and their latest TC string, from the database in one
 * statement (one round trip and one pooled connection per cache miss) over two indexes: the state's
 * primary key (tenant, subject, purpose) and consent_tcf_subject (tenant, subject, position).
 * Timestamps arrive as JSON text. The statement is built and compiled once: on the cache-miss path,
 * building it per check cost as much as the database's answer.
 */
export async function readSubjectConsent(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  subject: string,
): Promise<SubjectConsent> {
  subjectConsentSql ??= subjectConsentQuery(db, '$tenant', '$subject').compile().sql;
  const { rows } = await db.executeQuery<SubjectConsentRow>(
    CompiledQuery.raw(subjectConsentSql, [tenantId, subject, tenantId, subject, 1]),
  );
  const row = rows[0]!;
  const states = new Map<string, ConsentStateRow>();
  for (const state of row.states) {
    states.set(state.purpose, {
      purpose: state.purpose,
      status: state.status,
      ledgerId: state.ledger_id,
      noticeKey: state.notice_key,
      noticeVersion: state.notice_version,
      legalBasis: state.legal_basis,
      source: state.source,
      occurredAt: new Date(state.occurred_at),
      expiresAt: state.expires_at === null ? null : new Date(state.expires_at),
    });
  }
  return { states, tcf: row.tcf && tcfSummaryOf(row.tcf) };
}

let subjectConsentSql: string | undefined;

/** The statement of readSubjectConsent; its parameters are tenant, subject, tenant, subject, 1. */
export function subjectConsentQuery(db: DbHandle<ConsentDatabase>, tenantId: string, subject: string) {
  return db.selectNoFrom((eb) => [
    jsonArrayFrom(
      eb
        .selectFrom('consent_state')
        .select([
          'purpose',
          'status',
          'ledger_id',
          'notice_key',
          'notice_version',
          'legal_basis',
          'source',
          'occurred_at',
          'expires_at',
        ])
        .where('tenant_id', '=', tenantId)
        .where('subject', '=', subject),
    ).as('states'),
    jsonObjectFrom(
      eb
        .selectFrom('consent_tcf_records')
        .select(TCF_SUMMARY_COLUMNS)
        .where('tenant_id', '=', tenantId)
        .where('subject', '=', subject)
        .orderBy('position', 'desc')
        .limit(1),
    ).as('tcf'),
  ]);
}

type SubjectConsentRow = InferResult<ReturnType<typeof subjectConsentQuery>>[number];

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
