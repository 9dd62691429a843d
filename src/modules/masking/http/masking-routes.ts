import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../../../kernel/module.ts';
import { MASKING_QUEUES } from '../core/masking-queues.ts';
import { maskingDepsFrom, type MaskingServices } from '../masking-services.ts';
import { listMaskingRuns, readMaskingReport, requestMaskingCancel } from '../store/masking-run-store.ts';
import { planMaskedCopy } from '../use-cases/masking-engine.ts';
import { requestMaskingRun } from '../use-cases/request-masking-run.ts';
import {
  createMaskingRunBody,
  listMaskingRunsQuery,
  maskingPlan,
  maskingReport,
  maskingRequestBody,
  maskingRunIdParams,
  maskingRunList,
} from './masking-api-schemas.ts';

const TAGS = ['masking'];

function actorOf(request: FastifyRequest) {
  return { kind: request.actor.kind, id: request.actor.id };
}

/**
 * /v1/masking: plan a masked copy, start one (copied by a background job), follow its progress and
 * report, cancel it. Scoped to the caller's tenant; responses hold names, counts and statistics,
 * never a value of the source.
 */
export const maskingRoutes: RouteModule<MaskingServices> = (app, services) => {
  const deps = () => maskingDepsFrom(services);

  app.post(
    '/masking/plan',
    {
      config: { permission: 'masking:read' },
      schema: {
        tags: TAGS,
        summary: 'What a masked copy would write: rows per table (subset size), transformers and why',
        body: maskingRequestBody,
        response: { 200: maskingPlan },
      },
    },
    async (request) => {
      const { sourceSystem, ...options } = request.body;
      return planMaskedCopy(deps(), request.actor.tenantId, { sourceSystem, options });
    },
  );

  app.post(
    '/masking/runs',
    {
      config: { permission: 'masking:run' },
      schema: {
        tags: TAGS,
        operationId: 'startMaskingRun',
        summary: 'Start a masked copy into an empty database or a dump file (run by a background job)',
        body: createMaskingRunBody,
        response: { 202: maskingReport },
      },
    },
    async (request, reply) => {
      const { sourceSystem, target, ...options } = request.body;
      const tenantId = request.actor.tenantId;
      const id = await requestMaskingRun(deps(), tenantId, {
        sourceSystem,
        target,
        options,
        actor: actorOf(request),
      });
      await services.jobs.enqueue(MASKING_QUEUES.run, { tenantId, runId: id }, { idempotencyKey: id });
      return reply.status(202).send(await readMaskingReport(deps().db, tenantId, id));
    },
  );

  app.get(
    '/masking/runs',
    {
      config: { permission: 'masking:read' },
      schema: {
        tags: TAGS,
        summary: 'Masking runs, newest first',
        querystring: listMaskingRunsQuery,
        response: { 200: maskingRunList },
      },
    },
    async (request) => ({
      items: await listMaskingRuns(deps().db, request.actor.tenantId, request.query.limit),
    }),
  );

  app.get(
    '/masking/runs/:id',
    {
      config: { permission: 'masking:read' },
      schema: {
        tags: TAGS,
        summary: 'One run: progress per table, cardinality report, leak check',
        params: maskingRunIdParams,
        response: { 200: maskingReport },
      },
    },
    async (request) => readMaskingReport(deps().db, request.actor.tenantId, request.params.id),
  );

  app.post(
    '/masking/runs/:id/cancel',
    {
      config: { permission: 'masking:run' },
      schema: {
        tags: TAGS,
        summary: 'Stop a run after its current batch',
        params: maskingRunIdParams,
        response: { 200: maskingReport },
      },
    },
    async (request) => {
      await requestMaskingCancel(deps().db, request.actor.tenantId, request.params.id);
      return readMaskingReport(deps().db, request.actor.tenantId, request.params.id);
    },
  );
};
