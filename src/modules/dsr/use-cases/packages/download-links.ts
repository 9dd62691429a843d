import { randomBytes, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import { Forbidden, NotFound } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { dsrKeyring, tokenHash } from '../requests/dsr-keyring.ts';
import type { RequestActor } from '../requests/request-actor.ts';
import type { RequestRow } from '../requests/request-record.ts';
import { openEncryptedFile } from './encrypted-file.ts';
import { packageContext } from './package-files.ts';

export interface DownloadLink {
  url: string;
  expiresAt: Date;
}

/** `<tenant>.<256 random bits>`: the tenant travels in the link, so the lookup is scoped without a header. */
const TOKEN = /^([a-z0-9][a-z0-9-]{0,62})\.([A-Za-z0-9_-]{43})$/;

/**
 * A new expiring link to the request's access package, or undefined when it has none (not an
 * access request, or the package was already deleted). Only the token's hash is stored. The links
 * issued before it stop working: one live link per package, so a forwarded or leaked older mail
 * no longer opens it.
 */
export async function issueDownloadLink(
  services: DsrServices,
  request: Pick<RequestRow, 'id' | 'tenant_id'>,
  actor: RequestActor,
): Promise<DownloadLink | undefined> {
  const { config } = services;
  return services.database.db.transaction().execute(async (trx) => {
    const pkg = await trx
      .selectFrom('dsr_packages')
      .select(['expires_at'])
      .where('tenant_id', '=', request.tenant_id)
      .where('request_id', '=', request.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!pkg) return undefined;
    const token = `${request.tenant_id}.${randomBytes(32).toString('base64url')}`;
    const linkExpiry = Date.now() + config.dsr.packages.linkTtlDays * 24 * 3600 * 1000;
    const expiresAt = new Date(Math.min(linkExpiry, pkg.expires_at.getTime()));
    const id = randomUUID();
    const replaced = await trx
      .updateTable('dsr_download_links')
      .set({ revoked_at: new Date() })
      .where('tenant_id', '=', request.tenant_id)
      .where('request_id', '=', request.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await trx
      .insertInto('dsr_download_links')
      .values({
        id,
        tenant_id: request.tenant_id,
        request_id: request.id,
        token_hash: tokenHash(token),
        expires_at: expiresAt,
        created_by_kind: actor.kind,
        created_by_id: actor.id,
      })
      .execute();
    await recordAuditEvent(trx, {
      tenantId: request.tenant_id,
      actor,
      action: 'dsr.package.link_issued',
      object: { type: 'dsr_request', id: request.id },
      outcome: 'success',
      details: {
        linkId: id,
        expiresAt: expiresAt.toISOString(),
        replacedLinks: Number(replaced.numUpdatedRows),
      },
    });
    const base = (config.dsr.publicBaseUrl ?? `http://${config.server.host}:${config.server.port}`).replace(
      /\/+$/,
      '',
    );
    return { url: `${base}/v1/requests/${request.id}/download?token=${token}`, expiresAt };
  });
}

export interface OpenedDownload {
  stream: Readable;
  fileName: string;
  bytes: number;
}

/**
 * Opens the package behind a download link. The token is the credential: a wrong, expired or
 * foreign token gets the same kinds of answer whatever exists. A link works until a newer one is
 * issued and for `dsr.packages.maxDownloads` downloads; each download, and each refused one, is
 * audited.
 */
export async function openDownload(
  services: DsrServices,
  requestId: string,
  token: string,
  sourceAddress?: string,
): Promise<OpenedDownload> {
  const match = TOKEN.exec(token);
  const invalid = new NotFound(
    'dsr.download_not_found',
    'This download link is not valid. Use the link from the latest email, or ask the privacy team for a new one.',
  );
  if (!match) throw invalid;
  const tenantId = match[1]!;
  const hash = tokenHash(token);
  const { db } = services.database;
  const config = services.config.dsr;
  const link = await db
    .selectFrom('dsr_download_links as l')
    .innerJoin('dsr_packages as p', (join) =>
      join.onRef('p.request_id', '=', 'l.request_id').onRef('p.tenant_id', '=', 'l.tenant_id'),
    )
    .select(['l.id', 'l.expires_at', 'l.revoked_at', 'l.downloads', 'p.file', 'p.deleted_at'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.request_id', '=', requestId)
    .where('l.token_hash', '=', hash)
    .executeTakeFirst();
  if (!link) throw invalid;
  const refusal = refusalOf(link, config.packages.maxDownloads, requestId);
  if (refusal) throw await auditedRefusal(services, tenantId, requestId, link.id, refusal, sourceAddress);
  const opened = await openEncryptedFile(
    join(resolve(config.dataDir), link.file),
    dsrKeyring(config).fileKey,
    packageContext(tenantId, requestId),
  );
  // Counted with a condition, so two downloads racing for the last one cannot both get it.
  const counted = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('dsr_download_links')
      .set((eb) => ({ downloads: eb('downloads', '+', 1), last_downloaded_at: new Date() }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', link.id)
      .where('revoked_at', 'is', null)
      .where('downloads', '<', config.packages.maxDownloads)
      .returning('downloads')
      .executeTakeFirst();
    if (!updated) return false;
    await recordAuditEvent(trx, {
      tenantId,
      actor: { kind: 'anonymous', id: `download-link:${link.id}` },
      action: 'dsr.package.downloaded',
      object: { type: 'dsr_request', id: requestId },
      outcome: 'success',
      ...(sourceAddress ? { sourceAddress } : {}),
      details: { linkId: link.id, download: updated.downloads, maxDownloads: config.packages.maxDownloads },
    });
    return true;
  });
  if (!counted) {
    opened.stream.destroy();
    const now = await db
      .selectFrom('dsr_download_links')
      .select(['revoked_at', 'downloads'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    const refused =
      refusalOf({ ...link, ...now }, config.packages.maxDownloads, requestId) ??
      limitReached(config.packages.maxDownloads, requestId);
    throw await auditedRefusal(services, tenantId, requestId, link.id, refused, sourceAddress);
  }
  return { stream: opened.stream, fileName: `personal-data-${requestId}.zip`, bytes: opened.plaintextBytes };
}

interface LinkState {
  expires_at: Date;
  revoked_at: Date | null;
  downloads: number;
  deleted_at: Date | null;
}

/** Why a found link may not be used (expired, replaced, used up), or undefined when it may. */
function refusalOf(link: LinkState, maxDownloads: number, requestId: string): Forbidden | undefined {
  if (link.expires_at.getTime() < Date.now() || link.deleted_at) {
    return new Forbidden(
      'dsr.download_expired',
      'This download link has expired or the package was deleted after its retention period. Ask the privacy team for a new copy.',
      { requestId },
    );
  }
  if (link.revoked_at) {
    return new Forbidden(
      'dsr.download_replaced',
      'This download link was replaced by a newer one. Use the link from the latest email.',
      { requestId },
    );
  }
  if (link.downloads >= maxDownloads) return limitReached(maxDownloads, requestId);
  return undefined;
}

function limitReached(maxDownloads: number, requestId: string): Forbidden {
  return new Forbidden(
    'dsr.download_limit',
    `This download link has been used ${maxDownloads} times, its limit. Ask the privacy team for a new link.`,
    { requestId, maxDownloads },
  );
}

/** Records a refused download (someone holding an old or used-up link is worth knowing of) and returns the refusal. */
async function auditedRefusal(
  services: DsrServices,
  tenantId: string,
  requestId: string,
  linkId: string,
  refusal: Forbidden,
  sourceAddress: string | undefined,
): Promise<Forbidden> {
  await services.database.db.transaction().execute((trx) =>
    recordAuditEvent(trx, {
      tenantId,
      actor: { kind: 'anonymous', id: `download-link:${linkId}` },
      action: 'dsr.package.download_refused',
      object: { type: 'dsr_request', id: requestId },
      outcome: 'denied',
      reason: refusal.code,
      ...(sourceAddress ? { sourceAddress } : {}),
      details: { linkId },
    }),
  );
  return refusal;
}
