import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Forbidden, Unauthenticated } from '../../../kernel/errors/domain-error.ts';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { WebServices } from '../web-services.ts';
import type { WebConfig } from '../config-schema.ts';
import { resolvePrivacyCenter } from '../core/privacy-center-config.ts';
import {
  decodeSubjectSession,
  encodeSubjectSession,
  SUBJECT_SESSION_SECONDS,
} from '../core/subject-session.ts';
import { hasGpcSignal } from '../../consent/api.ts';
import { issueSubjectCode } from '../use-cases/issue-subject-code.ts';
import { readPublicRequestStatus } from '../use-cases/read-public-request-status.ts';
import {
  changeSubjectConsent,
  readSubjectConsent,
  type SubjectContext,
} from '../use-cases/subject-consent.ts';
import { verifySubjectCode } from '../use-cases/verify-subject-code.ts';
import {
  privacyCenterConfigResponse,
  publicRequestStatus,
  requestIdParams,
  subjectCodeBody,
  subjectCodeResponse,
  subjectConsentChangeBody,
  subjectConsentResponse,
  subjectSessionBody,
  subjectSessionResponse,
} from './web-api-schemas.ts';

/** `__Host-` pins the cookie to this host, path / and Secure; Strict keeps it off every cross-site request. */
export const SUBJECT_COOKIE = '__Host-steward_subject';
/**
 * Changes made with the subject cookie must carry this header: a page of another site cannot set a
 * custom header without a CORS preflight, which Steward never grants (the cookie is also Strict).
 */
export const PRIVACY_CENTER_HEADER = 'x-steward-privacy-center';

const TAGS = ['privacy center'];
const CODES_PER_MINUTE = 10;
const VERIFICATIONS_PER_MINUTE = 30;

/**
 * The privacy center's own API under /v1/privacy-center, all public: the tenant's settings, a
 * request's status by its reference, and a person's consent choices after they proved their
 * address with a mailed code. Requests themselves go through POST /v1/requests (the public intake).
 */
export function registerPrivacyCenterRoutes(app: StewardApp, services: WebServices, config: WebConfig): void {
  app.get(
    '/privacy-center/config',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: "The tenant's privacy center: title, logo, colour, texts, request types and identity fields",
        response: { 200: privacyCenterConfigResponse },
      },
    },
    async (request) => {
      const { tenantId } = request.actor;
      const settings = resolvePrivacyCenter(tenantId, config.privacyCenters);
      const notices = await services.consentLedger.notices(tenantId);
      return {
        ...settings,
        identities: services.dataMaps.forTenant(tenantId).dataMap.identities.map((identity) => identity.name),
        consentNotices: notices.length,
      };
    },
  );

  app.get(
    '/privacy-center/requests/:id',
    {
      config: { public: true, rateLimit: { max: VERIFICATIONS_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: TAGS,
        summary: "A request's state and deadline, by the reference mailed to the requester",
        params: requestIdParams,
        response: { 200: publicRequestStatus },
      },
    },
    async (request) => readPublicRequestStatus(services, request.actor.tenantId, request.params.id),
  );

  app.post(
    '/privacy-center/consent/codes',
    {
      config: { public: true, rateLimit: { max: CODES_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: TAGS,
        summary: 'Mail a one-time code to the address whose consent choices the visitor wants to manage',
        body: subjectCodeBody,
        response: { 202: subjectCodeResponse },
      },
    },
    async (request, reply) => {
      const issued = await issueSubjectCode(services, request.actor.tenantId, request.body.email);
      return reply
        .status(202)
        .send({ challengeId: issued.challengeId, expiresAt: issued.expiresAt.toISOString() });
    },
  );

  app.post(
    '/privacy-center/consent/session',
    {
      config: { public: true, rateLimit: { max: VERIFICATIONS_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: TAGS,
        summary: 'Prove the address with its code; the browser then manages its consent for 30 minutes',
        body: subjectSessionBody,
        response: { 200: subjectSessionResponse },
      },
    },
    async (request, reply) => {
      const session = await verifySubjectCode(services, request.actor.tenantId, request.body);
      reply.setCookie(SUBJECT_COOKIE, encodeSubjectSession(session), {
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'strict',
        signed: true,
        maxAge: SUBJECT_SESSION_SECONDS,
      });
      return { subject: session.subject, expiresAt: new Date(session.expiresAt).toISOString() };
    },
  );

  app.get(
    '/privacy-center/consent',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary:
          "The verified visitor's notices, choices and consent history; Sec-GPC: 1 records their opt-out",
        response: { 200: subjectConsentResponse },
      },
    },
    async (request, reply) => {
      const context = subjectContextOf(request);
      reply.header('cache-control', 'no-store');
      return { subject: context.subject, ...(await readSubjectConsent(services, context)) };
    },
  );

  app.put(
    '/privacy-center/consent',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: "Give or withdraw the verified visitor's consent, per notice (current version)",
        body: subjectConsentChangeBody,
        response: { 200: subjectConsentResponse },
      },
    },
    async (request, reply) => {
      requirePrivacyCenterHeader(request);
      const context = subjectContextOf(request);
      reply.header('cache-control', 'no-store');
      return {
        subject: context.subject,
        ...(await changeSubjectConsent(services, context, request.body.changes)),
      };
    },
  );

  app.delete(
    '/privacy-center/consent/session',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: 'Forget the verified address in this browser',
        response: { 204: z.null() },
      },
    },
    async (request, reply: FastifyReply) => {
      requirePrivacyCenterHeader(request);
      reply.clearCookie(SUBJECT_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'strict' });
      return reply.status(204).send(null);
    },
  );
}

function subjectContextOf(request: FastifyRequest): SubjectContext {
  const raw = request.cookies[SUBJECT_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  const session =
    unsigned?.valid && unsigned.value ? decodeSubjectSession(unsigned.value, Date.now()) : undefined;
  if (!session || session.tenantId !== request.actor.tenantId) {
    throw new Unauthenticated(
      'web.subject_not_verified',
      'Confirm your email address with a code first (POST /v1/privacy-center/consent/codes, then /session); a confirmation lasts 30 minutes.',
      // Not an API credential: the subject proves their address with a code the privacy center mails.
      { challenge: 'Steward-Subject-Code realm="privacy-center"' },
    );
  }
  const userAgent = request.headers['user-agent'];
  return {
    tenantId: session.tenantId,
    subject: session.subject,
    gpc: hasGpcSignal(request.headers),
    proof: { ipAddress: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) },
    httpRequestId: request.id,
  };
}

function requirePrivacyCenterHeader(request: FastifyRequest): void {
  if (request.headers[PRIVACY_CENTER_HEADER] !== '1') {
    throw new Forbidden(
      'web.privacy_center_header_missing',
      `Changes from the privacy center must send the header ${PRIVACY_CENTER_HEADER}: 1.`,
    );
  }
}
