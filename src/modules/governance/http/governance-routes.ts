import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../../../kernel/module.ts';
import type { GovernanceServices } from '../use-cases/governance-deps.ts';
import type { Permission } from '../../../platform/auth/permissions.ts';
import { STEWARD_VERSION } from '../../../kernel/version.ts';
import { combineFindings } from '../../../platform/datamap/findings/datamap-finding.ts';
import { renderFindingsJunit } from '../../../platform/datamap/findings/render-findings-junit.ts';
import { renderFindingsSarif } from '../../../platform/datamap/findings/render-findings-sarif.ts';
import { assessBreach } from '../use-cases/assess-breach.ts';
import { checkComplianceFindings, runComplianceCheck } from '../use-cases/check-compliance.ts';
import { closeBreach } from '../use-cases/close-breach.ts';
import { diffRopa } from '../use-cases/diff-ropa.ts';
import { draftBreachNotice } from '../use-cases/draft-breach-notice.ts';
import { exportRopa, type RenderedDocument } from '../use-cases/export-ropa.ts';
import { generateRopa } from '../use-cases/generate-ropa.ts';
import {
  listBreachRegister,
  listDpiaRegister,
  listProcessorRegister,
  listRopaGenerations,
} from '../use-cases/list-registers.ts';
import { listScreenings } from '../use-cases/list-screenings.ts';
import { listTransfers } from '../use-cases/list-transfers.ts';
import { readBreachView } from '../use-cases/read-breach.ts';
import { recordBreach } from '../use-cases/record-breach.ts';
import { recordBreachNotification } from '../use-cases/record-breach-notification.ts';
import { recordScreening } from '../use-cases/record-screening.ts';
import { recountBreachSubjects } from '../use-cases/recount-breach-subjects.ts';
import { createDpia, readDpia, reviseDpia } from '../use-cases/save-dpia.ts';
import { removeProcessor, saveProcessor } from '../use-cases/save-processor.ts';
import { updateBreachFacts } from '../use-cases/update-breach.ts';
import { writeRopaField } from '../use-cases/write-ropa-field.ts';
import * as s from './governance-schemas.ts';

const TAGS = ['governance'];

/** The permissions that guard governance (roles.ts says who holds them and why). */
export const GOVERNANCE_PERMISSIONS: { read: Permission; write: Permission } = {
  read: 'governance:read',
  write: 'governance:write',
};
const read = { permission: GOVERNANCE_PERMISSIONS.read };
const write = { permission: GOVERNANCE_PERMISSIONS.write };

const actorOf = (request: FastifyRequest) => ({ kind: request.actor.kind, id: request.actor.id });
const tenantOf = (request: FastifyRequest) => request.actor.tenantId;
const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

function sendDocument(reply: FastifyReply, document: RenderedDocument) {
  const disposition = document.contentType.startsWith('application/json') ? 'inline' : 'attachment';
  return reply
    .header('content-type', document.contentType)
    .header('content-disposition', `${disposition}; filename="${document.filename}"`)
    .header('cache-control', 'no-store')
    .send(document.body);
}

/**
 * /v1/governance: the record of processing (Art. 30) with exports and diffs, transfers (Chapter V),
 * the processor register (Art. 28), DPIA screenings and DPIAs (Art. 35/36), the breach register with
 * its 72-hour clock and notices (Art. 33/34), and the compliance check. Tenant-scoped; no personal
 * data of data subjects in any response (counts and categories only).
 */
export const governanceRoutes: RouteModule<GovernanceServices> = (app, services) => {
  app.get(
    '/governance/ropa',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'The record of processing activities (Art. 30), generated now',
        response: { 200: s.recordOfProcessing },
      },
    },
    async (request) => (await generateRopa(services, tenantOf(request))).record,
  );
  app.get(
    '/governance/ropa/export',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'Export the record as JSON, CSV, printable HTML or PDF (Art. 30(4))',
        querystring: s.exportQuery,
        response: {
          200: {
            description: 'The record of processing in the format asked for (format=json|csv|html|pdf).',
            content: {
              'application/json': { schema: z.unknown() },
              'text/csv': { schema: z.string() },
              'text/html': { schema: z.string() },
              'application/pdf': { schema: z.string().describe('binary') },
            },
          },
        },
      },
    },
    async (request, reply) =>
      sendDocument(reply, await exportRopa(services, tenantOf(request), request.query.format)),
  );
  app.get(
    '/governance/ropa/generations',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'Stored generations of the record, newest first',
        response: { 200: s.generationList },
      },
    },
    async (request) => ({ items: await listRopaGenerations(services, tenantOf(request)) }),
  );
  app.get(
    '/governance/ropa/diff',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'What changed between two generations (default: the last stored one and now)',
        querystring: s.diffQuery,
        response: { 200: s.ropaDiff },
      },
    },
    async (request) => diffRopa(services, tenantOf(request), request.query),
  );
  app.put(
    '/governance/ropa/fields/:entryId/:field',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Write a field by hand (contacts, DPO, Art. 32 measures…); it survives regeneration',
        params: s.ropaFieldParams,
        body: s.ropaFieldBody,
      },
    },
    async (request, reply) => {
      await writeRopaField(
        services,
        tenantOf(request),
        { ...request.params, lines: request.body.lines },
        actorOf(request),
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/governance/transfers',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'Every flow of personal data out of the EEA with its ground (Chapter V)',
        response: { 200: s.transferReport },
      },
    },
    async (request) => listTransfers(services, tenantOf(request)),
  );

  app.get(
    '/governance/processors',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'The register of processors and recipients',
        response: { 200: s.processorList },
      },
    },
    async (request) => ({ items: await listProcessorRegister(services, tenantOf(request)) }),
  );
  app.put(
    '/governance/processors/:id',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Add or replace a processor or recipient (DPA, countries, SCCs, TIA)',
        params: s.processorIdParams,
        body: s.processorBody,
        response: { 200: s.processorView },
      },
    },
    async (request) =>
      saveProcessor(
        services,
        tenantOf(request),
        { id: request.params.id, ...request.body },
        actorOf(request),
      ),
  );
  app.delete(
    '/governance/processors/:id',
    {
      config: write,
      schema: { tags: TAGS, summary: 'Remove a processor from the register', params: s.processorIdParams },
    },
    async (request, reply) => {
      await removeProcessor(services, tenantOf(request), request.params.id, actorOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/governance/screenings',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'WP248 screening of every processing activity (two or more criteria: DPIA required)',
        response: { 200: s.screeningList },
      },
    },
    async (request) => ({ items: await listScreenings(services, tenantOf(request)) }),
  );
  app.put(
    '/governance/screenings/:activityId',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Answer screening criteria by hand; answers win over what the data map suggests',
        params: s.screeningParams,
        body: s.screeningBody,
        response: { 200: s.screeningView },
      },
    },
    async (request) =>
      recordScreening(
        services,
        tenantOf(request),
        request.params.activityId,
        request.body.answers as Parameters<typeof recordScreening>[3],
        actorOf(request),
      ),
  );

  app.get(
    '/governance/dpias',
    {
      config: read,
      schema: { tags: TAGS, summary: 'DPIAs with their current version', response: { 200: s.dpiaList } },
    },
    async (request) => ({ items: await listDpiaRegister(services, tenantOf(request)) }),
  );
  app.post(
    '/governance/dpias',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Start the DPIA of a processing activity (version 1)',
        body: s.createDpiaBody,
        response: { 201: s.dpiaView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createDpia(
            services,
            tenantOf(request),
            request.body.activityId,
            request.body.content,
            actorOf(request),
          ),
        ),
  );
  app.get(
    '/governance/dpias/:id',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'A DPIA (current or given version) with risks, residual risk and the Art. 36 flag',
        params: s.dpiaParams,
        querystring: s.dpiaQuery,
        response: { 200: s.dpiaView },
      },
    },
    async (request) => readDpia(services, tenantOf(request), request.params.id, request.query.version),
  );
  app.post(
    '/governance/dpias/:id/versions',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Save a new version of a DPIA',
        params: s.dpiaParams,
        body: s.reviseDpiaBody,
        response: { 201: s.dpiaView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await reviseDpia(
            services,
            tenantOf(request),
            request.params.id,
            request.body.content,
            actorOf(request),
          ),
        ),
  );

  app.get(
    '/governance/breaches',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'The breach register (Art. 33(5))',
        querystring: s.breachListQuery,
        response: { 200: s.breachList },
      },
    },
    async (request) => ({
      items: await listBreachRegister(services, tenantOf(request), request.query.state),
    }),
  );
  app.post(
    '/governance/breaches',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Record a breach; the 72-hour clock runs from awareAt (Art. 33(1))',
        body: s.createBreachBody,
        response: { 201: s.breachView },
      },
    },
    async (request, reply) => {
      const { awareAt, occurredAt, detectedAt, ...rest } = request.body;
      const breach = await recordBreach(
        services,
        tenantOf(request),
        {
          ...rest,
          awareAt: new Date(awareAt),
          ...(occurredAt ? { occurredAt: new Date(occurredAt) } : {}),
          ...(detectedAt ? { detectedAt: new Date(detectedAt) } : {}),
        },
        actorOf(request),
      );
      return reply.status(201).send(await readBreachView(services, tenantOf(request), breach.id));
    },
  );
  app.get(
    '/governance/breaches/:id',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'A breach with its clock, timeline, notifications and what is still missing',
        params: s.breachParams,
        response: { 200: s.breachView },
      },
    },
    async (request) => readBreachView(services, tenantOf(request), request.params.id),
  );
  app.patch(
    '/governance/breaches/:id',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Complete or correct the facts (consequences, measures, reasons for delay…)',
        params: s.breachParams,
        body: s.updateBreachBody,
        response: { 200: s.breachView },
      },
    },
    async (request) => {
      const { occurredAt, ...rest } = request.body;
      await updateBreachFacts(
        services,
        tenantOf(request),
        request.params.id,
        { ...rest, ...(occurredAt ? { occurredAt: date(occurredAt) } : {}) },
        actorOf(request),
      );
      return readBreachView(services, tenantOf(request), request.params.id);
    },
  );
  app.post(
    '/governance/breaches/:id/assessment',
    {
      config: write,
      schema: {
        tags: TAGS,
        operationId: 'assessGovernanceBreach',
        summary:
          'Rate likelihood × severity; decides authority and subject notification (Art. 33, 34 with 34(3))',
        params: s.breachParams,
        body: s.assessBreachBody,
        response: { 200: s.breachView },
      },
    },
    async (request) => {
      await assessBreach(services, tenantOf(request), request.params.id, request.body, actorOf(request));
      return readBreachView(services, tenantOf(request), request.params.id);
    },
  );
  app.post(
    '/governance/breaches/:id/count',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Count the affected subjects and records in the real systems',
        params: s.breachParams,
        response: { 200: s.breachView },
      },
    },
    async (request) => {
      await recountBreachSubjects(services, tenantOf(request), request.params.id, actorOf(request));
      return readBreachView(services, tenantOf(request), request.params.id);
    },
  );
  app.post(
    '/governance/breaches/:id/notifications',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Record a notification sent (initial, follow-up or final: Art. 33(4))',
        params: s.breachParams,
        body: s.notificationBody,
        response: { 200: s.breachView },
      },
    },
    async (request) => {
      await recordBreachNotification(
        services,
        tenantOf(request),
        request.params.id,
        request.body,
        actorOf(request),
      );
      return readBreachView(services, tenantOf(request), request.params.id);
    },
  );
  app.post(
    '/governance/breaches/:id/close',
    {
      config: write,
      schema: {
        tags: TAGS,
        summary: 'Close a breach whose register entry is complete',
        params: s.breachParams,
        body: s.closeBreachBody,
        response: { 200: s.breachView },
      },
    },
    async (request) => {
      await closeBreach(services, tenantOf(request), request.params.id, actorOf(request), request.body.note);
      return readBreachView(services, tenantOf(request), request.params.id);
    },
  );
  app.get(
    '/governance/breaches/:id/notices/:audience',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary:
          'Draft notification to the authority (Art. 33(3)) or the subjects (Art. 34(2)) as JSON, HTML or PDF',
        params: s.noticeParams,
        querystring: s.noticeQuery,
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        (
          await draftBreachNotice(
            services,
            tenantOf(request),
            request.params.id,
            request.params.audience,
            request.query.format,
          )
        ).document,
      ),
  );

  app.get(
    '/governance/check',
    {
      config: read,
      schema: {
        tags: TAGS,
        summary: 'Compliance check of the data map against the registers (JSON, JUnit XML or SARIF 2.1.0)',
        querystring: s.checkQuery,
        response: {
          200: {
            description:
              'The report (format=json), JUnit XML (format=junit) or a SARIF 2.1.0 log (format=sarif).',
            content: {
              'application/json': { schema: s.checkReport },
              'application/xml': { schema: z.string() },
              'application/sarif+json': { schema: z.unknown() },
            },
          },
        },
      },
    },
    async (request, reply) => {
      if (request.query.format !== 'json') {
        // The same renderers as `steward datamap check`, so CI gets one format from the CLI and the API.
        const now = new Date();
        const checked = combineFindings(
          [await checkComplianceFindings(services, tenantOf(request), now)],
          now,
        );
        const root = process.cwd();
        return request.query.format === 'junit'
          ? reply
              .header('content-type', 'application/xml; charset=utf-8')
              .send(renderFindingsJunit(checked, { root }))
          : reply
              .header('content-type', 'application/sarif+json')
              .send(JSON.stringify(renderFindingsSarif(checked, { root, version: STEWARD_VERSION })));
      }
      const report = await runComplianceCheck(services, tenantOf(request));
      return reply
        .header('content-type', 'application/json')
        .send(JSON.stringify(s.checkReport.parse(report)));
    },
  );
};
