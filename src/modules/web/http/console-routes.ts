import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { WebServices } from '../web-services.ts';
import { requestSummarySchema } from '../../dsr/api.ts';
import { readDashboard } from '../use-cases/read-dashboard.ts';
import { readRequestPlan } from '../use-cases/read-request-plan.ts';
import {
  dashboardResponse,
  planDiffResponse,
  planQuery,
  requestIdParams,
  requestSearchQuery,
} from './web-api-schemas.ts';

const TAGS = ['console'];

const readerOf = (request: FastifyRequest) => ({
  tenantId: request.actor.tenantId,
  actor: { kind: request.actor.kind, id: request.actor.id },
  httpRequestId: request.id,
});

/**
 * What the admin console needs beyond the domain APIs: the dashboard's figures, a request's plan as
 * a diff, and finding a person's requests by an identity. Under /v1/console, each behind the
 * permission of the data it shows.
 */
export function registerConsoleRoutes(app: StewardApp, services: WebServices): void {
  app.get(
    '/console/sign-in-options',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        operationId: 'getConsoleSignInOptions',
        summary:
          'How people sign in to the console here: single sign-on when configured, an API key otherwise',
        response: {
          200: z.object({
            oidc: z.boolean().describe('auth.oidc is configured: GET /v1/auth/oidc/login starts it.'),
          }),
        },
      },
    },
    async () => ({ oidc: services.config.auth.oidc !== undefined }),
  );

  app.get(
    '/console/dashboard',
    {
      // Every role may open the console; each section is filled only where the caller may read it.
      config: { permission: 'profile:read' },
      schema: {
        tags: TAGS,
        summary:
          'Open requests by deadline, consent rates per purpose, retention runs, audit log and event delivery',
        response: { 200: dashboardResponse },
      },
    },
    async (request) =>
      readDashboard(services, { tenantId: request.actor.tenantId, permissions: request.actor.permissions }),
  );

  app.get(
    '/console/requests/:id/plan',
    {
      config: { permission: 'dsr:read' },
      schema: {
        tags: TAGS,
        operationId: 'getConsoleRequestPlan',
        summary: 'What a request reads, deletes, masks or keeps under which legal hold, per collection',
        params: requestIdParams,
        querystring: planQuery,
        response: { 200: planDiffResponse },
      },
    },
    async (request) =>
      readRequestPlan(services, readerOf(request), request.params.id, {
        estimate: request.query.estimate === 'true',
      }),
  );

  app.get(
    '/console/requests/search',
    {
      config: { permission: 'dsr:read' },
      schema: {
        tags: TAGS,
        operationId: 'searchConsoleRequests',
        summary: "A data subject's requests, found by one identity (audited)",
        querystring: requestSearchQuery,
        response: { 200: z.object({ items: z.array(requestSummarySchema) }) },
      },
    },
    async (request) => ({
      items: await services.subjectRequests.searchByIdentity(readerOf(request), {
        name: request.query.identity,
        value: request.query.value,
      }),
    }),
  );
}
