import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';
import { Conflict, InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import type { Taxonomy } from '../../../platform/taxonomy/taxonomy.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { assertKnownPurpose } from '../core/consent-purposes.ts';
import type { NoticeLegalBasis, NoticeMechanism } from '../store/consent-tables.ts';
import { CONSENT_CHANNEL, noticesChangedPayload } from '../core/consent-notifications.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

export interface NoticeContent {
  title: string;
  text: string;
  legalBasis: NoticeLegalBasis;
  mechanism: NoticeMechanism;
  regions?: string[];
  /** Null or absent: `consent.validityMonths`. */
  validityMonths?: number | null;
}

export interface NoticeInput extends NoticeContent {
  key: string;
  purpose: string;
}

/** A notice with its current version's content. */
export interface Notice extends Required<Omit<NoticeContent, 'validityMonths'>> {
  id: string;
  key: string;
  purpose: string;
  version: number;
  validityMonths: number | null;
  createdAt: string;
  updatedAt: string;
}

/** One version as consents refer to it. */
export type NoticeVersion = Notice;

const KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const REGION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$|^(EU|EEA|WORLD)$/;

/** Creates a notice at version 1. */
export async function createNotice(
  db: DbHandle<ConsentDatabase>,
  taxonomy: Taxonomy,
  actor: ChangeActor,
  input: NoticeInput,
): Promise<Notice> {
  validate(taxonomy, input);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('consent_notices')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (existing)
      throw new Conflict(
        'consent.notice_exists',
        `A notice with key "${input.key}" exists. Change it with PUT /v1/consent/notices/${input.key}.`,
        { key: input.key },
      );
    const id = randomUUID();
    await trx
      .insertInto('consent_notices')
      .values({
        id,
        tenant_id: actor.tenantId,
        key: input.key,
        purpose: input.purpose,
        current_version: 1,
        updated_at: new Date(),
      })
      .execute();
    await insertVersion(trx, actor.tenantId, id, 1, input);
    await announce(trx, actor, id, input, 1, 'consent.notice.created');
    return loadNotice(trx, actor.tenantId, input.key);
  });
}

/**
 * Changes a notice's content. Any change of what people are told or on which terms (title, text,
 * legal basis, mechanism, regions, validity) makes a new version; consents keep naming the version
 * they were given to. Unchanged content returns the current version.
 */
export async function updateNotice(
  db: DbHandle<ConsentDatabase>,
  taxonomy: Taxonomy,
  actor: ChangeActor,
  key: string,
  content: NoticeContent,
): Promise<Notice> {
  return db.transaction().execute(async (trx) => {
    const current = await loadNotice(trx, actor.tenantId, key, { forUpdate: true });
    validate(taxonomy, { ...content, key, purpose: current.purpose });
    if (sameContent(current, content)) return current;
    const version = current.version + 1;
    await insertVersion(trx, actor.tenantId, current.id, version, content);
    await trx
      .updateTable('consent_notices')
      .set({ current_version: version, updated_at: new Date() })
      .where('id', '=', current.id)
      .execute();
    await announce(
      trx,
      actor,
      current.id,
      { ...content, key, purpose: current.purpose },
      version,
      'consent.notice.versioned',
    );
    return loadNotice(trx, actor.tenantId, key);
  });
}

export async function listNotices(db: DbHandle<ConsentDatabase>, tenantId: string): Promise<Notice[]> {
  const rows = await noticeQuery(db, tenantId).orderBy('n.key').execute();
  return rows.map(present);
}

/** A notice's current version, or the given one. */
export async function getNotice(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  key: string,
  version?: number,
): Promise<Notice> {
  return loadNotice(db, tenantId, key, { version });
}

/** Every version of a notice, oldest first. */
export async function listNoticeVersions(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  key: string,
): Promise<NoticeVersion[]> {
  const rows = await db
    .selectFrom('consent_notices as n')
    .innerJoin('consent_notice_versions as v', 'v.notice_id', 'n.id')
    .select([
      'n.id',
      'n.key',
      'n.purpose',
      'n.created_at',
      'v.created_at as updated_at',
      'v.version',
      'v.title',
      'v.text',
      'v.legal_basis',
      'v.mechanism',
      'v.regions',
      'v.validity_months',
    ])
    .where('n.tenant_id', '=', tenantId)
    .where('n.key', '=', key)
    .orderBy('v.version')
    .execute();
  if (rows.length === 0) throw noticeNotFound(key);
  return rows.map(present);
}

/** The current versions of every notice of a tenant, for the consent decision. */
export async function loadCurrentNotices(db: DbHandle<ConsentDatabase>, tenantId: string): Promise<Notice[]> {
  return listNotices(db, tenantId);
}

async function loadNotice(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  key: string,
  options: { version?: number | undefined; forUpdate?: boolean } = {},
): Promise<Notice> {
  let query = noticeQuery(db, tenantId, options.version).where('n.key', '=', key);
  if (options.forUpdate) query = query.forUpdate('n');
  const row = await query.executeTakeFirst();
  if (!row) throw noticeNotFound(key, options.version);
  return present(row);
}

/** Notices with one version each: the current one, or `version` when given. */
function noticeQuery(db: DbHandle<ConsentDatabase>, tenantId: string, version?: number) {
  return db
    .selectFrom('consent_notices as n')
    .innerJoin('consent_notice_versions as v', (join) =>
      join
        .onRef('v.notice_id', '=', 'n.id')
        .on('v.version', '=', version !== undefined ? sql.lit(version) : sql.ref('n.current_version')),
    )
    .select([
      'n.id',
      'n.key',
      'n.purpose',
      'n.created_at',
      'n.updated_at',
      'v.version',
      'v.title',
      'v.text',
      'v.legal_basis',
      'v.mechanism',
      'v.regions',
      'v.validity_months',
    ])
    .where('n.tenant_id', '=', tenantId);
}

function noticeNotFound(key: string, version?: number): NotFound {
  return new NotFound(
    'consent.notice_not_found',
    version !== undefined
      ? `Notice "${key}" has no version ${version}.`
      : `No notice "${key}" in this tenant. List them with GET /v1/consent/notices.`,
    { key, version },
  );
}

function validate(taxonomy: Taxonomy, input: NoticeInput): void {
  if (!KEY.test(input.key))
    throw new InvalidInput(
      'consent.bad_notice_key',
      `Notice key "${input.key}" must be lower case letters, digits, _ . or -, at most 64 characters.`,
    );
  assertKnownPurpose(taxonomy, input.purpose);
  if (!input.title.trim() || !input.text.trim())
    throw new InvalidInput('consent.notice_empty', 'A notice needs a title and the text people are shown.');
  // GDPR Art. 4(11) and 7, CJEU C-673/17 (Planet49): consent is an affirmative act, never a pre-ticked default.
  if (input.legalBasis === 'consent' && input.mechanism !== 'opt_in') {
    throw new InvalidInput(
      'consent.basis_mechanism_mismatch',
      `Legal basis "consent" needs mechanism "opt_in" (GDPR Art. 4(11)); an opt-out fits legitimate_interests or a CCPA purpose.`,
    );
  }
  const bad = (input.regions ?? []).find((region) => !REGION.test(region));
  if (bad)
    throw new InvalidInput(
      'consent.bad_region',
      `Region "${bad}" is not an ISO 3166 code (DE, US-CA) or EU/EEA/WORLD.`,
    );
}

function sameContent(current: Notice, content: NoticeContent): boolean {
  return (
    current.title === content.title &&
    current.text === content.text &&
    current.legalBasis === content.legalBasis &&
    current.mechanism === content.mechanism &&
    JSON.stringify(current.regions) === JSON.stringify(content.regions ?? []) &&
    current.validityMonths === (content.validityMonths ?? null)
  );
}

async function insertVersion(
  trx: Transaction<ConsentDatabase>,
  tenantId: string,
  noticeId: string,
  version: number,
  content: NoticeContent,
): Promise<void> {
  await trx
    .insertInto('consent_notice_versions')
    .values({
      tenant_id: tenantId,
      notice_id: noticeId,
      version,
      title: content.title,
      text: content.text,
      legal_basis: content.legalBasis,
      mechanism: content.mechanism,
      regions: JSON.stringify(content.regions ?? []),
      validity_months: content.validityMonths ?? null,
    })
    .execute();
}

async function announce(
  trx: Transaction<ConsentDatabase>,
  actor: ChangeActor,
  noticeId: string,
  input: NoticeInput,
  version: number,
  action: string,
): Promise<void> {
  await recordAuditEvent(trx, {
    tenantId: actor.tenantId,
    actor: { kind: actor.kind, id: actor.id },
    action,
    object: { type: 'consent_notice', id: noticeId },
    outcome: 'success',
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
    details: {
      key: input.key,
      purpose: input.purpose,
      version,
      mechanism: input.mechanism,
      legalBasis: input.legalBasis,
    },
  });
  await publishEvent(trx, {
    tenantId: actor.tenantId,
    type: action,
    source: 'consent',
    topic: `consent.notices.${input.key.replaceAll('.', '_')}`,
    data: {
      notice: input.key,
      purpose: input.purpose,
      version,
      mechanism: input.mechanism,
      legalBasis: input.legalBasis,
      regions: input.regions ?? [],
    },
  });
  await sql`select pg_notify(${CONSENT_CHANNEL}, ${noticesChangedPayload(actor.tenantId)})`.execute(trx);
}

type NoticeRow = {
  id: string;
  key: string;
  purpose: string;
  created_at: Date;
  updated_at: Date;
  version: number;
  title: string;
  text: string;
  legal_basis: NoticeLegalBasis;
  mechanism: NoticeMechanism;
  regions: string[];
  validity_months: number | null;
};

function present(row: NoticeRow): Notice {
  return {
    id: row.id,
    key: row.key,
    purpose: row.purpose,
    version: row.version,
    title: row.title,
    text: row.text,
    legalBasis: row.legal_basis,
    mechanism: row.mechanism,
    regions: row.regions,
    validityMonths: row.validity_months,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
