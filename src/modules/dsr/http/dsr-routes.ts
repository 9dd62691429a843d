import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../../../kernel/module.ts';
import type { DsrServices } from '../dsr-services.ts';
import { identityRulesOf } from '../use-cases/requests/identity-rules.ts';
import { normaliseIdentities } from '../use-cases/requests/subject-identities.ts';
import { issueDownloadLink, openDownload } from '../use-cases/packages/download-links.ts';
import { readRequestDetail, listRequests } from '../use-cases/requests/read-requests.ts';
import type { RequestActor } from '../use-cases/requests/request-actor.ts';
import {
  approveBody,
  cancelBody,
  denyBody,
  downloadLinkResponse,
  downloadQuery,
  extendBody,
  listRequestsQuery,
  publicRequestView,
  requestDetailResponse,
  requestIdParams,
  requestListResponse,
  requestSummary,
  submitRequestBody,
  verificationCodeResponse,
  verifyBody,
} from './request-api-schemas.ts';
import {
  approveRequest,
  cancelRequest,
  denyRequest,
  type DecisionContext,
} from '../use-cases/requests/request-decisions.ts';
import { extendRequest } from '../use-cases/requests/extend-request.ts';
import { loadRequest } from '../use-cases/requests/request-record.ts';
import { detailView, publicView, summaryView } from '../use-cases/requests/request-views.ts';
import { submitRequest } from '../use-cases/requests/submit-request.ts';
import { requestNewCode } from '../use-cases/verification/request-new-code.ts';
import { verifyRequest } from '../use-cases/verification/verify-request.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';

const TAGS = ['data subject requests'];
/** Per client address; the per-request limits (codes, attempts) apply besides. */
const PUBLIC_INTAKE_PER_MINUTE = 20;
const PUBLIC_VERIFY_PER_MINUTE = 30;
/** Agents send credentials (checked by the auth plugin, which limits failures itself); the tight limit is for anonymous callers. */
const hasCredentials = (request: FastifyRequest) =>
  request.headers.authorization !== undefined || request.headers.cookie !== undefined;

/** The request is already stored: a failure here is logged (without personal data) rather than failing the intake. */
async function recordIntakeGpc(
  services: DsrServices,
  request: FastifyRequest,
  identities: Record<string, string>,
): Promise<void> {
  const { actor } = request;
  const userAgent = request.headers['user-agent'];
  try {
    await services.subjectConsent.recordGpcOptOut(
      { kind: actor.kind, id: actor.id, tenantId: actor.tenantId, requestId: request.id },
      identities,
      { ipAddress: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) },
    );
  } catch (error) {
    request.log.error(
      { err: error, requestId: request.id },
      'the GPC opt-out sent with a privacy-center request could not be recorded',
    );
  }
}

function actorOf(request: FastifyRequest): RequestActor {
  return { kind: request.actor.kind, id: request.actor.id };
}

function contextOf(request: FastifyRequest): DecisionContext {
  return { tenantId: request.actor.tenantId, actor: actorOf(request), requestId: request.id };
}

/**
 * /v1/requests: intake, verification, decisions and downloads of data subject requests.
 *
 * `POST /v1/requests` is ONE route for both intakes: without credentials it is the privacy
 * center's public intake (the identity is then verified by a code sent to the email identity);
 * with credentials holding dsr:write it is agent intake, which may also vouch for the identity,
 * backdate receipt and link duplicates. Verification and the download link are public: the code
 * and the 256-bit token are the credentials.
 */
export const dsrRoutes: RouteModule<DsrServices> = (app, services) => {
  app.post(
    '/requests',
    {
      // Each public intake mails a code: a tighter limit than the API's keeps it from being used to send mail in bulk.
      config: {
        public: true,
        rateLimit: { max: PUBLIC_INTAKE_PER_MINUTE, timeWindow: 60_000, allowList: hasCredentials },
      },
      schema: {
        tags: TAGS,
        operationId: 'submitRequest',
        summary:
          'Submit a data subject request (public privacy-center intake, or agent intake with dsr:write)',
        body: submitRequestBody,
        response: { 201: requestSummary.partial().extend(publicRequestView.shape) },
      },
    },
    async (request, reply) => {
      const agent = request.actor.permissions.has('dsr:write');
      const { receivedAt, ...body } = request.body;
      const created = await submitRequest(
        services,
        { ...body, ...(receivedAt ? { receivedAt: new Date(receivedAt) } : {}) },
        { tenantId: request.actor.tenantId, actor: actorOf(request), agent, requestId: request.id },
      );
      // The person's browser sent Global Privacy Control: also their opt-out of sale and sharing (CCPA).
      if (!agent && services.subjectConsent.hasGpcSignal(request.headers))
        await recordIntakeGpc(
          services,
          request,
          normaliseIdentities(body.identities, identityRulesOf(services, request.actor.tenantId)),
        );
      return reply.status(201).send(agent ? summaryView(created) : publicView(created));
    },
  );

  app.get(
    '/requests',
    {
      config: { permission: 'dsr:read' },
      schema: {
        tags: TAGS,
        summary: 'List requests (filters: state, type, regime, overdue)',
        querystring: listRequestsQuery,
        response: { 200: requestListResponse },
      },
    },
    async (request) => {
      const { state, type, regime, overdue, limit, cursor } = request.query;
      const page = await listRequests(services.database.db, request.actor.tenantId, {
        limit,
        ...(state ? { state } : {}),
        ...(type ? { type } : {}),
        ...(regime ? { regime } : {}),
        ...(overdue ? { overdue: overdue === 'true' } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const now = new Date();
      return { items: page.items.map((row) => summaryView(row, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/requests/:id',
    {
      config: { permission: 'dsr:read' },
      schema: {
        tags: TAGS,
        summary: 'One request with identities (while open), history, steps, result and package',
        params: requestIdParams,
        response: { 200: requestDetailResponse },
      },
    },
    async (request) =>
      detailView(
        await readRequestDetail(
          services,
          request.actor.tenantId,
          request.params.id,
          actorOf(request),
          request.id,
        ),
      ),
  );

  app.post(
    '/requests/:id/verify',
    {
      config: { public: true, rateLimit: { max: PUBLIC_VERIFY_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: TAGS,
        summary: 'Confirm the identity with the one-time code from the email',
        params: requestIdParams,
        body: verifyBody,
        response: { 200: publicRequestView },
      },
    },
    async (request) =>
      publicView(await verifyRequest(services, request.params.id, request.body.code, contextOf(request))),
  );

  app.post(
    '/requests/:id/verification-code',
    {
      config: { public: true, rateLimit: { max: PUBLIC_INTAKE_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: TAGS,
        operationId: 'resendVerificationCode',
        summary: 'Send a new one-time code (rate limited)',
        params: requestIdParams,
        response: { 202: verificationCodeResponse },
      },
    },
    async (request, reply) => {
      const { retryAfterSeconds } = await requestNewCode(services, request.params.id, contextOf(request));
      return reply.status(202).send({ status: 'sending' as const, retryAfterSeconds });
    },
  );

  app.post(
    '/requests/:id/approve',
    {
      config: { permission: 'dsr:approve' },
      schema: {
        tags: TAGS,
        summary: 'Approve a verified request awaiting approval; execution starts',
        params: requestIdParams,
        body: approveBody,
        response: { 200: requestSummary },
      },
    },
    async (request) =>
      summaryView(await approveRequest(services, request.params.id, contextOf(request), request.body.note)),
  );

  app.post(
    '/requests/:id/deny',
    {
      config: { permission: 'dsr:approve' },
      schema: {
        tags: TAGS,
        summary: 'Deny a request before execution, with the reason the requester is told',
        params: requestIdParams,
        body: denyBody,
        response: { 200: requestSummary },
      },
    },
    async (request) =>
      summaryView(await denyRequest(services, request.params.id, contextOf(request), request.body.reason)),
  );

  app.post(
    '/requests/:id/extend',
    {
      config: { permission: 'dsr:write' },
      schema: {
        tags: TAGS,
        summary: 'Extend the deadline with a reason (GDPR: up to 2 months; CCPA: once by 45 days)',
        params: requestIdParams,
        body: extendBody,
        response: { 200: requestSummary },
      },
    },
    async (request) =>
      summaryView(await extendRequest(services, request.params.id, contextOf(request), request.body)),
  );

  app.post(
    '/requests/:id/cancel',
    {
      config: { permission: 'dsr:write' },
      schema: {
        tags: TAGS,
        summary: 'Cancel a request that has not started executing',
        params: requestIdParams,
        body: cancelBody,
        response: { 200: requestSummary },
      },
    },
    async (request) =>
      summaryView(await cancelRequest(services, request.params.id, contextOf(request), request.body.reason)),
  );

  app.post(
    '/requests/:id/download-links',
    {
      config: { permission: 'dsr:export' },
      schema: {
        tags: TAGS,
        summary: 'A new expiring download link to the access package',
        params: requestIdParams,
        response: { 201: downloadLinkResponse },
      },
    },
    async (request, reply) => {
      const row = await loadRequest(services.database.db, request.actor.tenantId, request.params.id);
      const link = await issueDownloadLink(services, row, actorOf(request));
      if (!link)
        throw new NotFound(
          'dsr.no_package',
          `Request ${row.id} has no access package (not an access request, not finished, or deleted after its retention period).`,
          { requestId: row.id },
        );
      return reply.status(201).send({ url: link.url, expiresAt: link.expiresAt.toISOString() });
    },
  );

  app.get(
    '/requests/:id/download',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        operationId: 'downloadAccessPackage',
        summary: 'Download the access package (zip) with the token from the link',
        params: requestIdParams,
        querystring: downloadQuery,
      },
    },
    async (request, reply) => {
      const opened = await openDownload(services, request.params.id, request.query.token, request.ip);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${opened.fileName}"`)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(opened.stream);
    },
  );
};
