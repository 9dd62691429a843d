import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { withDedicatedConnection } from '../../../kernel/database/dedicated-connection.ts';
import { InvalidInput, isDomainError } from '../../../kernel/errors/domain-error.ts';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { ConsentServices } from '../consent-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { governingNotice } from '../core/consent-decision.ts';
import { CONSENT_CHANNEL } from '../core/consent-notifications.ts';
import { consentOnlyFields, type ConsentOnlyField } from '../core/consent-only-fields.ts';
import { assertKnownPurpose } from '../core/consent-purposes.ts';
import {
  applyImportStaging,
  createImportStaging,
  STAGING_COPY,
  stagingLine,
  type StagedConsentLine,
} from '../store/consent-import-staging.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';
import type { ConsentSource } from '../store/consent-tables.ts';
import { listNoticeVersions, loadCurrentNotices, type Notice } from './notices.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';
import { addMonths, type ConsentChange } from './record-consent.ts';
import { enqueueWithdrawalErasure } from './withdrawal-erasure.ts';
import { sql } from 'kysely';

export type ImportFormat = 'csv' | 'jsonl';

export interface RejectedLine {
  /** 1-based line of the file (the CSV header is line 1). */
  line: number;
  reason: string;
}

export interface ImportReport {
  format: ImportFormat;
  lines: number;
  imported: number;
  rejected: RejectedLine[];
  /** False when nothing was written (some lines were rejected and `skipInvalid` was not set). */
  committed: boolean;
}

/** The file itself, whole or as it arrives (a request body, a file stream). */
export type ImportInput = string | AsyncIterable<string | Buffer>;

const SOURCES: ConsentSource[] = ['web', 'api', 'import', 'gpc', 'tcf', 'system'];
/** Records per import. Lines stream through validation into the database, so memory does not grow with them. */
export const MAX_IMPORT_LINES = 1_000_000;
const SUBJECT_MAX = 512;

/**
 * Imports existing consents from CSV (header row: subject,purpose,action,notice,notice_version,
 * occurred_at,jurisdiction,source) or JSON Lines with the same keys (camelCase accepted). Every line
 * is validated and every rejected line reported with its reason. Unless `skipInvalid`, one rejected
 * line means nothing is imported.
 *
 * All or nothing, bounded: the lines stream through validation into a staging table (COPY) on a
 * connection of their own, and are written from there set-based in ONE transaction, in chunks, with
 * no lock per subject (see applyImportStaging): a failure midway leaves nothing half-imported,
 * memory and locks do not grow with the file, and writers of other subjects never wait for it.
 */
export async function importConsents(
  services: ConsentServices,
  actor: ChangeActor,
  input: ImportInput,
  format: ImportFormat,
  options: { skipInvalid?: boolean } = {},
): Promise<ImportReport> {
  const tenantId = actor.tenantId;
  const rejected: RejectedLine[] = [];
  let lines = 0;
  let staged = 0;
  const outcome = await withDedicatedConnection<ConsentDatabase, ImportReport>(
    services.database,
    { statementTimeoutMs: services.config.database.statementTimeoutMs },
    (connection) =>
      connection.db
        .transaction()
        .execute(async (trx) => {
          const resolver = await noticeResolver(trx, tenantId);
          await createImportStaging(trx);
          const now = new Date();
          async function* validLines(): AsyncIterable<string> {
            for await (const record of readRecords(input, format)) {
              if (++lines > MAX_IMPORT_LINES) {
                throw new InvalidInput(
                  'consent.import_too_large',
                  `The file has more than ${MAX_IMPORT_LINES} records; import at most ${MAX_IMPORT_LINES} at a time (split the file).`,
                );
              }
              if ('error' in record) {
                rejected.push({ line: record.line, reason: record.error });
                continue;
              }
              try {
                const line = stage(services, resolver, record, now);
                // Once a line is rejected and nothing will be written, validation goes on alone.
                if (rejected.length > 0 && !options.skipInvalid) continue;
                staged++;
                yield stagingLine(line);
              } catch (error) {
                rejected.push({
                  line: record.line,
                  reason: isDomainError(error) ? error.message : String(error),
                });
              }
            }
          }
          await connection.copyIn(STAGING_COPY, validLines());
          const report: ImportReport = { format, lines, imported: 0, rejected, committed: false };
          if (staged === 0 || (rejected.length > 0 && !options.skipInvalid))
            throw new NothingToImport(report);
          const applied = await applyImportStaging(trx, {
            tenantId,
            actor,
            consentOnly: consentOnlyPurposes(services, tenantId),
          });
          if (services.config.consent.withdrawalErasure.enabled)
            for (const ledgerId of applied.withdrawalsOfConsentOnlyData)
              await enqueueWithdrawalErasure(services, trx, { tenantId, ledgerId });
          await recordAuditEvent(trx, {
            tenantId,
            actor: { kind: actor.kind, id: actor.id },
            action: 'consent.imported',
            object: { type: 'consent_ledger', id: applied.firstEntryId ?? 'none' },
            outcome: 'success',
            ...(actor.requestId ? { requestId: actor.requestId } : {}),
            details: { entries: applied.entries, lines, rejected: rejected.length },
          });
          // Every replica drops its whole cache on commit (an empty payload): cheaper than a message per subject.
          await sql`select pg_notify(${CONSENT_CHANNEL}, '')`.execute(trx);
          return { ...report, imported: applied.entries, committed: true };
        })
        .catch((error: unknown) => {
          if (error instanceof NothingToImport) return error.report;
          throw error;
        }),
  );
  if (outcome.committed) services.consent.cache.clear();
  return outcome;
}

/** Ends the import's transaction without writing anything: lines were rejected, or none was valid. */
class NothingToImport extends Error {
  readonly report: ImportReport;
  constructor(report: ImportReport) {
    super('nothing to import');
    this.report = report;
  }
}

/** Validates one record and resolves its notice as recording it would, or throws why it is rejected. */
function stage(
  services: ConsentServices,
  resolve: NoticeResolver,
  record: { line: number; fields: Record<string, unknown> },
  now: Date,
): StagedConsentLine {
  const change = toChange(services, record.fields);
  const notice = resolve(change);
  if (change.action !== 'withdrawn' && notice?.mechanism === 'notice_only')
    throw new InvalidInput(
      'consent.notice_only',
      `notice "${notice.key}" informs without asking (notice_only); there is no consent to give for ${change.purpose}`,
    );
  const occurredAt = change.occurredAt ?? now;
  const months = notice?.validityMonths ?? services.config.consent.validityMonths;
  return {
    line: record.line,
    subject: change.subject,
    purpose: change.purpose,
    requested: change.action === 'withdrawn' ? 'withdrawn' : 'given',
    noticeId: notice?.id ?? null,
    noticeKey: notice?.key ?? null,
    noticeVersion: notice?.version ?? null,
    legalBasis: notice?.legalBasis ?? null,
    source: change.source,
    jurisdiction: change.jurisdiction ?? null,
    occurredAt,
    expiresIfGiven: addMonths(occurredAt, months),
  };
}

type NoticeResolver = (change: ConsentChange) => Notice | undefined;

/**
 * The notice a change is given to, as recordConsentChanges resolves it: the named one (at the
 * version given, default current), else the one governing the purpose where the person is. Every
 * version is read before the lines stream in: the connection is busy with the COPY meanwhile.
 */
async function noticeResolver(trx: DbHandle<ConsentDatabase>, tenantId: string): Promise<NoticeResolver> {
  const notices = await loadCurrentNotices(trx, tenantId);
  const versions = new Map<string, Notice>();
  for (const notice of notices)
    for (const each of await listNoticeVersions(trx, tenantId, notice.key))
      versions.set(`${each.key}\u0000${each.version}`, each);
  const version = (key: string, number: number) => {
    const found = versions.get(`${key}\u0000${number}`);
    if (!found) throw new InvalidInput('consent.notice_version', `notice "${key}" has no version ${number}`);
    return found;
  };
  return (change) => {
    if (change.notice) {
      const named = notices.find((n) => n.key === change.notice);
      if (!named) throw new InvalidInput('consent.no_notice', `notice "${change.notice}" does not exist`);
      if (named.purpose !== change.purpose)
        throw new InvalidInput(
          'consent.notice_purpose_mismatch',
          `notice "${named.key}" is for purpose ${named.purpose}, not ${change.purpose}`,
        );
      if (change.noticeVersion === undefined || change.noticeVersion === named.version) return named;
      if (change.noticeVersion > named.version)
        throw new InvalidInput(
          'consent.notice_version',
          `notice "${named.key}" has no version ${change.noticeVersion} (latest ${named.version})`,
        );
      return version(named.key, change.noticeVersion);
    }
    const governing = governingNotice(notices, change.purpose, change.jurisdiction);
    if (!governing) {
      if (change.action === 'withdrawn') return undefined;
      throw new InvalidInput(
        'consent.no_notice',
        `no notice covers purpose ${change.purpose}; name one in the notice column`,
      );
    }
    if (change.noticeVersion === undefined || change.noticeVersion === governing.version) return governing;
    if (change.noticeVersion > governing.version)
      throw new InvalidInput(
        'consent.notice_version',
        `notice "${governing.key}" has no version ${change.noticeVersion} (latest ${governing.version})`,
      );
    return version(governing.key, change.noticeVersion);
  };
}

/** Purposes whose withdrawal concerns fields the data map processes under consent alone. */
function consentOnlyPurposes(
  services: ConsentServices,
  tenantId: string,
): Record<string, ConsentOnlyField[]> {
  const { dataMap } = services.dataMaps.forTenant(tenantId);
  const purposes = new Set<string>();
  for (const system of dataMap.systems)
    for (const collection of system.collections)
      for (const field of [...collection.purposes, ...collection.fields.flatMap((f) => f.purposes)])
        purposes.add(field.use);
  const result: Record<string, ConsentOnlyField[]> = {};
  for (const purpose of purposes) {
    const fields = consentOnlyFields(dataMap, purpose);
    if (fields.length > 0) result[purpose] = fields;
  }
  return result;
}

type RawRecord = { line: number; fields: Record<string, unknown> } | { line: number; error: string };

/** The records of the file as they arrive, each with the line it ends on. */
function readRecords(input: ImportInput, format: ImportFormat): AsyncIterable<RawRecord> {
  const chunks = typeof input === 'string' ? [input] : input;
  return format === 'csv' ? readCsv(chunks) : readJsonLines(chunks);
}

async function* readCsv(
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
): AsyncIterable<RawRecord> {
  const parser = Readable.from(chunks).pipe(
    parseCsv({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      bom: true,
    }),
  );
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>)
      yield { line: row.info.lines, fields: row.record };
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new InvalidInput(
      'consent.import_bad_csv',
      `The CSV cannot be read: ${(error as Error).message}. Check quoting and that every line has the header's columns.`,
    );
  }
}

async function* readJsonLines(
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
): AsyncIterable<RawRecord> {
  const decoder = new TextDecoder();
  let rest = '';
  let index = 0;
  const parseLine = (text: string): RawRecord | undefined => {
    index++;
    if (!text.trim()) return undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return { line: index, error: 'the line is not a JSON object' };
      return { line: index, fields: value as Record<string, unknown> };
    } catch (error) {
      return { line: index, error: `not valid JSON (${(error as Error).message})` };
    }
  };
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const lines = rest.split(/\r?\n/);
    rest = lines.pop() ?? '';
    for (const text of lines) {
      const record = parseLine(text);
      if (record) yield record;
    }
  }
  rest += decoder.decode();
  const last = parseLine(rest);
  if (last) yield last;
}

function toChange(services: ConsentServices, fields: Record<string, unknown>): ConsentChange {
  const get = (...names: string[]) => {
    for (const name of names) {
      const value = fields[name];
      if (value !== undefined && value !== null && value !== '') return String(value).trim();
    }
    return undefined;
  };
  const subject = get('subject');
  const purpose = get('purpose');
  const action = get('action');
  if (!subject) throw new InvalidInput('consent.import_missing', 'subject is missing');
  if (subject.length > SUBJECT_MAX)
    throw new InvalidInput('consent.bad_subject', `subject is longer than ${SUBJECT_MAX} characters`);
  if (!purpose) throw new InvalidInput('consent.import_missing', 'purpose is missing');
  if (action !== 'given' && action !== 'withdrawn' && action !== 'renewed')
    throw new InvalidInput(
      'consent.import_action',
      `action "${action ?? ''}" must be given, withdrawn or renewed`,
    );
  assertKnownPurpose(services.consent.taxonomy, purpose);
  const occurredText = get('occurred_at', 'occurredAt');
  const occurredAt = occurredText ? new Date(occurredText) : undefined;
  if (occurredAt && Number.isNaN(occurredAt.getTime()))
    throw new InvalidInput('consent.import_time', `occurred_at "${occurredText}" is not an ISO 8601 time`);
  if (occurredAt && occurredAt.getTime() > Date.now() + 60_000)
    throw new InvalidInput('consent.import_time', `occurred_at ${occurredText} lies in the future`);
  const versionText = get('notice_version', 'noticeVersion');
  const noticeVersion = versionText !== undefined ? Number(versionText) : undefined;
  if (noticeVersion !== undefined && (!Number.isInteger(noticeVersion) || noticeVersion < 1))
    throw new InvalidInput(
      'consent.import_version',
      `notice_version "${versionText}" is not a positive integer`,
    );
  const source = (get('source') ?? 'import') as ConsentSource;
  if (!SOURCES.includes(source))
    throw new InvalidInput(
      'consent.import_source',
      `source "${source}" must be one of ${SOURCES.join(', ')}`,
    );
  const notice = get('notice');
  const jurisdiction = get('jurisdiction');
  return {
    subject,
    purpose,
    action,
    source,
    ...(notice ? { notice } : {}),
    ...(noticeVersion !== undefined ? { noticeVersion } : {}),
    ...(jurisdiction ? { jurisdiction } : {}),
    ...(occurredAt ? { occurredAt } : {}),
  };
}
