import type { RouteModule } from '../../../kernel/module.ts';
import type { DiscoveryServices } from '../discovery-services.ts';
import { discoveryConfigOf } from '../config-schema.ts';
import type { DiscoveryDb } from '../store/discovery-runs.ts';
import { listDiscoveryRuns, readDiscoveryRun } from '../store/discovery-runs.ts';
import { proposeDataMapChanges } from '../use-cases/propose-datamap-changes.ts';
import { runDiscovery } from '../use-cases/run-discovery.ts';
import {
  createRunBody,
  listRunsQuery,
  proposedDiff,
  runDetail,
  runIdParams,
  runList,
  runOutcome,
  systemParams,
} from './discovery-api-schemas.ts';

const TAGS = ['discovery'];

/**
 * /v1/discovery: run discovery on a system of the caller's tenant (stored, compared with the
 * previous run), list and read runs, and get the proposed data-map change as a diff. Responses
 * carry categories, confidences and counts, never sampled values.
 */
export const discoveryRoutes: RouteModule<DiscoveryServices> = (app, services) => {
  const db: DiscoveryDb = services.database.db;
  const settings = () => discoveryConfigOf(services.config);

  app.post(
    '/discovery/runs',
    {
      config: { permission: 'datamap:write' },
      schema: {
        tags: TAGS,
        operationId: 'startDiscoveryRun',
        summary: 'Sample a system now and compare it with the data map',
        body: createRunBody,
        response: { 201: runOutcome },
      },
    },
    async (request, reply) => {
      const tenantId = request.actor.tenantId;
      const { sampleSize, statementTimeoutMs } = settings();
      const outcome = await runDiscovery(
        { dataMap: services.dataMaps.forTenant(tenantId), db },
        {
          tenantId,
          system: request.body.system,
          trigger: 'api',
          sampleSize: request.body.sampleSize ?? sampleSize,
          statementTimeoutMs,
        },
      );
      return reply.status(201).send({
        result: outcome.result,
        run: outcome.run!,
        findings: outcome.findings,
        comparison: outcome.comparison!,
      });
    },
  );

  app.get(
    '/discovery/runs',
    {
      config: { permission: 'datamap:read' },
      schema: {
        tags: TAGS,
        summary: 'Discovery runs, newest first',
        querystring: listRunsQuery,
        response: { 200: runList },
      },
    },
    async (request) => ({
      items: await listDiscoveryRuns(db, request.actor.tenantId, {
        limit: request.query.limit,
        ...(request.query.system ? { system: request.query.system } : {}),
      }),
    }),
  );

  app.get(
    '/discovery/runs/:id',
    {
      config: { permission: 'datamap:read' },
      schema: {
        tags: TAGS,
        summary: 'One run with every column’s categories and evidence',
        params: runIdParams,
        response: { 200: runDetail },
      },
    },
    async (request) => readDiscoveryRun(db, request.actor.tenantId, request.params.id),
  );

  app.get(
    '/discovery/systems/:system/diff',
    {
      config: { permission: 'datamap:read' },
      schema: {
        tags: TAGS,
        summary: 'Sample a system and propose the data-map change as a unified diff',
        params: systemParams,
        response: { 200: proposedDiff },
      },
    },
    async (request) => {
      const { sampleSize, statementTimeoutMs } = settings();
      const outcome = await runDiscovery(
        { dataMap: services.dataMaps.forTenant(request.actor.tenantId) },
        {
          tenantId: request.actor.tenantId,
          system: request.params.system,
          trigger: 'api',
          sampleSize,
          statementTimeoutMs,
        },
      );
      return {
        findings: outcome.findings,
        patches: proposeDataMapChanges(outcome.findings).map(({ path, diff }) => ({ path, diff })),
      };
    },
  );
};
