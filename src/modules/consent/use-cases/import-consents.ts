import { parse as parseCsv } from 'csv-parse/sync';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { ConsentServices } from '../consent-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { assertKnownPurpose } from '../core/consent-purposes.ts';
import type { ConsentSource } from '../store/consent-tables.ts';
import { loadCurrentNotices } from './notices.ts';
import { governingNotice } from '../core/consent-decision.ts';
import { recordConsentChanges, type ConsentChange } from './record-consent.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';

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

const SOURCES: ConsentSource[] = ['web', 'api', 'import', 'gpc', 'tcf', 'system'];
const MAX_LINES = 100_000;

/**
 * Imports existing consents from CSV (header row: subject,purpose,action,notice,notice_version,
 * occurred_at,jurisdiction,source) or JSON Lines with the same keys (camelCase accepted). Every line
 * is validated first and every rejected line reported with its reason. Unless `skipInvalid`, one
 * rejected line means nothing is imported; the accepted lines are written in ONE transaction, so a
 * failure midway leaves nothing half-imported either.
 */
export async function importConsents(
  services: ConsentServices,
  actor: ChangeActor,
  content: string,
  format: ImportFormat,
  options: { skipInvalid?: boolean } = {},
): Promise<ImportReport> {
  const records = format === 'csv' ? readCsv(content) : readJsonLines(content);
  if (records.length > MAX_LINES) {
    throw new InvalidInput(
      'consent.import_too_large',
      `The file has ${records.length} records; import at most ${MAX_LINES} at a time (split the file).`,
    );
  }
  const notices = await loadCurrentNotices(services.database.db, actor.tenantId);
  const accepted: ConsentChange[] = [];
  const rejected: RejectedLine[] = [];
  for (const record of records) {
    if ('error' in record) {
      rejected.push({ line: record.line, reason: record.error });
      continue;
    }
    try {
      const change = toChange(services, record.fields);
      const noticeKnown = change.notice
        ? notices.some((n) => n.key === change.notice)
        : governingNotice(notices, change.purpose, change.jurisdiction) !== undefined;
      if (!noticeKnown && change.action !== 'withdrawn') {
        throw new InvalidInput(
          'consent.no_notice',
          change.notice
            ? `notice "${change.notice}" does not exist`
            : `no notice covers purpose ${change.purpose}; name one in the notice column`,
        );
      }
      const named = change.notice ? notices.find((n) => n.key === change.notice) : undefined;
      if (named && named.purpose !== change.purpose)
        throw new InvalidInput(
          'consent.notice_purpose_mismatch',
          `notice "${named.key}" is for purpose ${named.purpose}, not ${change.purpose}`,
        );
      if (named && change.noticeVersion !== undefined && change.noticeVersion > named.version) {
        throw new InvalidInput(
          'consent.notice_version',
          `notice "${named.key}" has no version ${change.noticeVersion} (latest ${named.version})`,
        );
      }
      accepted.push(change);
    } catch (error) {
      rejected.push({ line: record.line, reason: isDomainError(error) ? error.message : String(error) });
    }
  }
  const report: ImportReport = { format, lines: records.length, imported: 0, rejected, committed: false };
  if (accepted.length === 0 || (rejected.length > 0 && !options.skipInvalid)) return report;
  // Oldest first, so the projection ends at each subject's latest decision.
  accepted.sort((a, b) => (a.occurredAt?.getTime() ?? 0) - (b.occurredAt?.getTime() ?? 0));
  const entries = await recordConsentChanges(services, actor, accepted, { audit: 'summary' });
  return { ...report, imported: entries.length, committed: true };
}

type RawRecord = { line: number; fields: Record<string, unknown> } | { line: number; error: string };

function readCsv(content: string): RawRecord[] {
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parseCsv(content, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      bom: true,
    });
  } catch (error) {
    throw new InvalidInput(
      'consent.import_bad_csv',
      `The CSV cannot be read: ${(error as Error).message}. Check quoting and that every line has the header's columns.`,
    );
  }
  return rows.map((row) => ({ line: row.info.lines, fields: row.record }));
}

function readJsonLines(content: string): RawRecord[] {
  const records: RawRecord[] = [];
  content.split(/\r?\n/).forEach((text, index) => {
    if (!text.trim()) return;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        records.push({ line: index + 1, error: 'the line is not a JSON object' });
      else records.push({ line: index + 1, fields: value as Record<string, unknown> });
    } catch (error) {
      records.push({ line: index + 1, error: `not valid JSON (${(error as Error).message})` });
    }
  });
  return records;
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
