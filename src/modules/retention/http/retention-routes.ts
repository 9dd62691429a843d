import type { FastifyRequest } from 'fastify';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { RouteModule } from '../../../kernel/module.ts';
import { buildComplianceReport } from '../use-cases/compliance-report.ts';
import { dryRunRule } from '../use-cases/dry-run-rule.ts';
import { cancelRun } from '../use-cases/execute-run.ts';
import { describeFlows } from '../use-cases/flows/describe-flows.ts';
import { createFlowRun, readFlowRun } from '../use-cases/flows/flow-run-store.ts';
import { findFlow } from '../use-cases/flows/load-flows.ts';
import { approveRun, rejectRun } from '../use-cases/decide-run.ts';
import {
  approveRunBody,
  complianceReport,
  createRunBody,
  dryRunBody,
  dryRunResponse,
  flowIdParams,
  flowList,
  flowRunView,
  listRunsQuery,
  rejectRunBody,
  ruleParams,
  runFlowBody,
  runIdParams,
  runList,
  runReport,
} from './retention-api-schemas.ts';
import { requestRun } from '../use-cases/request-run.ts';
import { listRuns, readRun } from '../use-cases/run-store.ts';
import type { RetentionServices } from '../retention-services.ts';

const TAGS = ['retention'];

function actorOf(request: FastifyRequest) {
  return { kind: request.actor.kind, id: request.actor.id };
}

/**
 * /v1/retention: runs (progress, reports, cancel), dry runs of rules, the compliance report and
 * privacy flows. Everything is scoped to the caller's tenant; responses hold counts, rule texts and
 * primary keys only, never other values of the swept systems.
 */
export const retentionRoutes: RouteModule<RetentionServices> = (app, services) => {
  app.get(
    '/retention/runs',
    {
      config: { permission: 'retention:read' },
      schema: {
        tags: TAGS,
        summary: 'List retention runs, newest first',
        querystring: listRunsQuery,
        response: { 200: runList },
      },
    },
    async (request) => {
      const { limit, state, before } = request.query;
      const items = await listRuns(services.database.db, request.actor.tenantId, {
        limit,
        ...(state ? { state } : {}),
        ...(before ? { before: decodeCursor(before) } : {}),
      });
      const last = items.length === limit ? items[items.length - 1] : undefined;
      return {
        items,
        nextCursor: last
          ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')
          : null,
      };
    },
  );

  app.get(
    '/retention/runs/:id',
    {
      config: { permission: 'retention:read' },
      schema: {
        tags: TAGS,
        summary: 'One run: state, progress and report per collection',
        params: runIdParams,
        response: { 200: runReport },
      },
    },
    async (request) => readRun(services.database.db, request.actor.tenantId, request.params.id),
  );

  app.post(
    '/retention/runs',
    {
      config: { permission: 'retention:run' },
      schema: {
        tags: TAGS,
        operationId: 'startRetentionRun',
        summary:
          'Start a retention run (swept by a background job); one with more rows due than auth.separationOfDuties.retentionRunRowsAbove awaits approval by someone else',
        body: createRunBody,
        response: { 202: runReport },
      },
    },
    async (request, reply) => {
      const id = await requestRun(services, request.actor.tenantId, request.body, actorOf(request));
      return reply.status(202).send(await readRun(services.database.db, request.actor.tenantId, id));
    },
  );

  app.post(
    '/retention/runs/:id/cancel',
    {
      config: { permission: 'retention:run' },
      schema: {
        tags: TAGS,
        summary: 'Stop a run after its current batch',
        params: runIdParams,
        response: { 200: runReport },
      },
    },
    async (request) => cancelRun(services, request.actor.tenantId, request.params.id, actorOf(request)),
  );

  app.post(
    '/retention/runs/:id/approve',
    {
      config: { permission: 'retention:run' },
      schema: {
        tags: TAGS,
        operationId: 'approveRetentionRun',
        summary: 'Approve a run awaiting a second person: it starts (someone other than its requester)',
        params: runIdParams,
        body: approveRunBody,
        response: { 200: runReport },
      },
    },
    async (request) =>
      approveRun(services, request.params.id, {
        tenantId: request.actor.tenantId,
        actor: actorOf(request),
        requestId: request.id,
      }),
  );

  app.post(
    '/retention/runs/:id/reject',
    {
      config: { permission: 'retention:run' },
      schema: {
        tags: TAGS,
        operationId: 'rejectRetentionRun',
        summary: 'Reject a run awaiting approval, with a reason: it removes nothing',
        params: runIdParams,
        body: rejectRunBody,
        response: { 200: runReport },
      },
    },
    async (request) =>
      rejectRun(
        services,
        request.params.id,
        { tenantId: request.actor.tenantId, actor: actorOf(request), requestId: request.id },
        request.body.reason,
      ),
  );

  app.post(
    '/retention/rules/:system/:collection/dry-run',
    {
      config: { permission: 'retention:read' },
      schema: {
        tags: TAGS,
        summary:
          "What a rule (the collection's, or a proposed one) would do now: counts and sample primary keys",
        params: ruleParams,
        body: dryRunBody,
        response: { 200: dryRunResponse },
      },
    },
    async (request) =>
      dryRunRule(
        services,
        request.actor.tenantId,
        request.params,
        request.body.rule,
        actorOf(request),
        request.id,
      ),
  );

  app.get(
    '/retention/report',
    {
      config: { permission: 'retention:read' },
      schema: {
        tags: TAGS,
        summary:
          'Compliance report: every collection with personal data, its rule, oldest record, overdue rows and next run',
        response: { 200: complianceReport },
      },
    },
    async (request) => buildComplianceReport(services, request.actor.tenantId),
  );

  app.get(
    '/retention/flows',
    {
      config: { permission: 'retention:read' },
      schema: {
        tags: TAGS,
        summary: 'Privacy flows of the tenant with their next fire times',
        response: { 200: flowList },
      },
    },
    async (request) => describeFlows(services, request.actor.tenantId),
  );

  app.post(
    '/retention/flows/:id/runs',
    {
      config: { permission: 'retention:run' },
      schema: {
        tags: TAGS,
        operationId: 'runRetentionFlow',
        summary: 'Run a flow now (executed by a background job)',
        params: flowIdParams,
        body: runFlowBody,
        response: { 202: flowRunView },
      },
    },
    async (request, reply) => {
      const { flow } = findFlow(
        services.config,
        services.dataMaps,
        request.params.id,
        request.actor.tenantId,
      );
      const id = await createFlowRun(services, {
        flow,
        trigger: 'manual',
        dryRun: request.body.dryRun,
        actor: actorOf(request),
      });
      return reply.status(202).send(await readFlowRun(services.database.db, request.actor.tenantId, id!));
    },
  );

  app.get(
    '/retention/flow-runs/:id',
    {
      config: { permission: 'retention:read' },
      schema: {
        tags: TAGS,
        summary: "One flow run and its tasks' results",
        params: runIdParams,
        response: { 200: flowRunView },
      },
    },
    async (request) => readFlowRun(services.database.db, request.actor.tenantId, request.params.id),
  );
};

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const [createdAt, id] = Array.isArray(parsed) ? parsed : [];
  const date = new Date(typeof createdAt === 'string' ? createdAt : Number.NaN);
  if (typeof id !== 'string' || Number.isNaN(date.getTime())) {
    throw new InvalidInput(
      'retention.bad_cursor',
      'The cursor is not one this API returned; use nextCursor from the previous page.',
    );
  }
  return { createdAt: date, id };
}
