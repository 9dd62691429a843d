import { z } from 'zod';
import { PayloadTooLarge, UnsupportedMediaType } from '../../../kernel/errors/domain-error.ts';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { RouteModule } from '../../../kernel/module.ts';
import type { FastifyRequest } from 'fastify';
import { checkConsent, checkConsentFromCache, checkConsents } from '../use-cases/check-consent.ts';
import { decisionSerializer, decisionsSerializer } from '../core/decision-json.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { consentHistoryForSubject } from '../use-cases/consent-history.ts';
import {
  checkQuerySchema,
  consentChangesSchema,
  decisionSchema,
  historySchema,
  importReportSchema,
  ledgerEntrySchema,
  noticeContentSchema,
  noticeInputSchema,
  noticeSchema,
  subjectParams,
  tcfRecordSchema,
} from './consent-route-schemas.ts';
import { GPC_SUPPORT_UPDATED, hasGpcSignal, recordGpcOptOut } from '../use-cases/gpc-signal.ts';
import { importConsents, type ImportFormat } from '../use-cases/import-consents.ts';
import {
  createNotice,
  getNotice,
  listNotices,
  listNoticeVersions,
  updateNotice,
} from '../use-cases/notices.ts';
import { recordConsentChanges } from '../use-cases/record-consent.ts';
import { recordTcString } from '../use-cases/tcf-records.ts';
import type { ConsentServices } from '../consent-services.ts';

/** An import's file is streamed into the database as it arrives, never held whole: up to 256 MiB (about 2.5 M lines). */
const IMPORT_BODY_LIMIT = 256 * 1024 * 1024;

/** Notices, consent records, checks, subject history, TCF strings and imports under /v1/consent. */
export const consentRoutes: RouteModule<ConsentServices> = async (app, services) => {
  const { db } = services.database;
  const taxonomy = services.consent.taxonomy;

  // Imports arrive as the file itself: handed on as the stream it is, read and validated line by line in the domain.
  app.addContentTypeParser(
    ['text/csv', 'application/x-ndjson', 'application/jsonl'],
    (_request, payload, done) => done(null, payload),
  );

  app.post(
    '/consent/notices',
    {
      config: { permission: 'notices:write' },
      schema: {
        tags: ['consent'],
        summary: 'Create a privacy notice (version 1)',
        body: noticeInputSchema,
        response: { 201: z.object({ notice: noticeSchema }) },
      },
    },
    async (request, reply) => {
      const notice = await createNotice(db, taxonomy, actorOf(request), request.body);
      // Other replicas hear the notification; this one answers its next check with the new notice.
      services.consent.cache.invalidateNotices(request.actor.tenantId);
      return reply.status(201).send({ notice });
    },
  );

  app.put(
    '/consent/notices/:key',
    {
      config: { permission: 'notices:write' },
      schema: {
        tags: ['consent'],
        summary: "Change a notice's content: a new version when anything changed",
        params: z.object({ key: z.string() }),
        body: noticeContentSchema,
        response: { 200: z.object({ notice: noticeSchema }) },
      },
    },
    async (request) => {
      const notice = await updateNotice(db, taxonomy, actorOf(request), request.params.key, request.body);
      services.consent.cache.invalidateNotices(request.actor.tenantId);
      return { notice };
    },
  );

  app.get(
    '/consent/notices',
    {
      config: { permission: 'consent:read' },
      schema: {
        tags: ['consent'],
        summary: 'List notices (current versions)',
        response: { 200: z.object({ notices: z.array(noticeSchema) }) },
      },
    },
    async (request) => ({ notices: await listNotices(db, request.actor.tenantId) }),
  );

  app.get(
    '/consent/notices/:key',
    {
      config: { permission: 'consent:read' },
      schema: {
        tags: ['consent'],
        summary: 'A notice: its current version, or ?version=n',
        params: z.object({ key: z.string() }),
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
        response: { 200: z.object({ notice: noticeSchema }) },
      },
    },
    async (request) => ({
      notice: await getNotice(db, request.actor.tenantId, request.params.key, request.query.version),
    }),
  );

  app.get(
    '/consent/notices/:key/versions',
    {
      config: { permission: 'consent:read' },
      schema: {
        tags: ['consent'],
        summary: 'Every version of a notice',
        params: z.object({ key: z.string() }),
        response: { 200: z.object({ versions: z.array(noticeSchema) }) },
      },
    },
    async (request) => ({
      versions: await listNoticeVersions(db, request.actor.tenantId, request.params.key),
    }),
  );

  app.post(
    '/consent/records',
    {
      config: { permission: 'consent:write' },
      schema: {
        tags: ['consent'],
        operationId: 'recordConsent',
        summary:
          "Record a subject's choices (give or withdraw, one or more purposes); Sec-GPC: 1 also records a CCPA opt-out",
        body: consentChangesSchema,
        response: { 201: z.object({ entries: z.array(ledgerEntrySchema) }) },
      },
    },
    async (request, reply) => {
      const { subject, jurisdiction, source, changes } = request.body;
      const proof = proofOf(request);
      const actor = actorOf(request);
      const entries = await recordConsentChanges(
        services,
        actor,
        changes.map((change) => ({
          subject,
          ...change,
          source,
          ...(jurisdiction ? { jurisdiction } : {}),
          proof,
        })),
      );
      const gpc = await applyGpc(request, subject);
      return reply
        .status(201)
        .send({ entries: [...entries, ...(gpc ? [gpc] : [])].map(({ proof: _proof, ...entry }) => entry) });
    },
  );

  app.get(
    '/consent/check',
    {
      config: { permission: 'consent:check' },
      schema: {
        tags: ['consent'],
        summary: "May this subject's data be used for this purpose? Fails closed.",
        querystring: checkQuerySchema,
        response: { 200: decisionSchema },
      },
      serializerCompiler: decisionSerializer,
    },
    // Not async: a cached answer is sent without a promise in between (the API's hot path).
    (request) => {
      const { tenantId } = request.actor;
      if (hasGpcSignal(request.headers))
        return applyGpc(request, request.query.subject).then(() =>
          checkConsent(services, tenantId, request.query),
        );
      return (
        checkConsentFromCache(services, tenantId, request.query) ??
        checkConsent(services, tenantId, request.query)
      );
    },
  );

  app.post(
    '/consent/check',
    {
      config: { permission: 'consent:check' },
      schema: {
        tags: ['consent'],
        operationId: 'checkConsentBatch',
        summary: 'Batch check: one answer per query, in order',
        body: z.object({ checks: z.array(checkQuerySchema).min(1).max(1000) }).strict(),
        response: { 200: z.object({ results: z.array(decisionSchema) }) },
      },
      serializerCompiler: decisionsSerializer,
    },
    async (request) => ({
      results: await checkConsents(services, request.actor.tenantId, request.body.checks),
    }),
  );

  app.get(
    '/consent/subjects/:subject/history',
    {
      config: { permission: 'consent:read' },
      schema: {
        tags: ['consent'],
        summary: "A subject's whole consent history, current state and TC strings (export)",
        params: subjectParams,
        response: { 200: historySchema },
      },
    },
    async (request) => {
      await applyGpc(request, request.params.subject);
      const history = await consentHistoryForSubject(db, request.actor.tenantId, request.params.subject);
      // A read of personal data: audited.
      await recordAuditEvent(db, {
        tenantId: request.actor.tenantId,
        actor: { kind: request.actor.kind, id: request.actor.id },
        action: 'consent.history.read',
        object: { type: 'consent_subject', id: 'history' },
        outcome: 'success',
        subjectRef: request.params.subject,
        requestId: request.id,
        details: { entries: history.entries.length },
      });
      return history;
    },
  );

  app.post(
    '/consent/tcf',
    {
      config: { permission: 'consent:write' },
      schema: {
        tags: ['consent'],
        operationId: 'recordTcString',
        summary: 'Record an IAB TCF v2.2 TC string for a subject (400 with the reason when invalid)',
        body: z
          .object({ subject: z.string().min(1).max(512), tcString: z.string().min(1).max(20_000) })
          .strict(),
        response: { 201: z.object({ record: tcfRecordSchema }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        record: await recordTcString(services, actorOf(request), {
          ...request.body,
          proof: proofOf(request),
        }),
      }),
  );

  app.post(
    '/consent/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { permission: 'consent:write' },
      schema: {
        tags: ['consent'],
        summary:
          'Import consents from CSV (text/csv) or JSON Lines (application/x-ndjson); every rejected line is reported',
        querystring: z.object({ skipInvalid: z.enum(['true', 'false']).optional() }),
        response: { 200: importReportSchema, 201: importReportSchema, 422: importReportSchema },
      },
    },
    async (request, reply) => {
      const type = String(request.headers['content-type'] ?? '');
      const format: ImportFormat = type.startsWith('text/csv') ? 'csv' : 'jsonl';
      const body = request.body as AsyncIterable<Buffer> | object | string | undefined;
      if (body !== undefined && !isStream(body))
        throw new UnsupportedMediaType(
          'consent.import_media_type',
          `An import is a file: send it as text/csv or application/x-ndjson (JSON Lines), not ${type.split(';')[0] || 'without a Content-Type'}.`,
        );
      const report = await importConsents(
        services,
        actorOf(request),
        body ? atMost(body, IMPORT_BODY_LIMIT) : '',
        format,
        {
          skipInvalid: request.query.skipInvalid === 'true',
        },
      );
      return reply.status(report.committed ? 201 : report.rejected.length > 0 ? 422 : 200).send(report);
    },
  );

  async function applyGpc(request: FastifyRequest, subject: string) {
    if (!hasGpcSignal(request.headers)) return undefined;
    return recordGpcOptOut(services, actorOf(request), subject, proofOf(request));
  }
};

/** `/.well-known/gpc.json` (GPC spec §4.1): tells user agents this site honours the signal. Public, outside /v1. */
export function registerGpcWellKnownRoute(app: StewardApp): void {
  app.get(
    '/.well-known/gpc.json',
    {
      config: { public: true },
      schema: {
        tags: ['consent'],
        operationId: 'getGpcSupport',
        summary: 'Global Privacy Control support resource',
        response: { 200: z.object({ gpc: z.boolean(), lastUpdate: z.string() }) },
      },
    },
    async () => ({ gpc: true, lastUpdate: GPC_SUPPORT_UPDATED }),
  );
}

function isStream(body: unknown): body is AsyncIterable<Buffer> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** The body's chunks, refused past `limit` bytes (the import then rolls back). */
async function* atMost(body: AsyncIterable<Buffer>, limit: number): AsyncIterable<Buffer> {
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > limit)
      throw new PayloadTooLarge(
        'consent.import_too_large',
        `The file is larger than ${limit / 1024 / 1024} MiB; split it and import the parts one after the other.`,
      );
    yield chunk;
  }
}

function actorOf(request: FastifyRequest): ChangeActor {
  const { actor } = request;
  return { kind: actor.kind, id: actor.id, tenantId: actor.tenantId, requestId: request.id };
}

function proofOf(request: FastifyRequest) {
  const userAgent = request.headers['user-agent'];
  return { ipAddress: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) };
}
