import { publishEvent } from '../../../../platform/events/publish-event.ts';
import { buildAccessPackage } from '../packages/access-package.ts';
import {
  readStagedSystem,
  removeStaging,
  stageSystemAccess,
  type StagedSystem,
} from '../packages/access-staging.ts';
import { runAccessForSystem, runErasureForSystem, runRectificationForSystem } from '../execution/index.ts';
import { article15Context } from '../packages/article15-context.ts';
import {
  planAccess,
  planErasure,
  planRectification,
  type DsrPlan,
  type PlanFacts,
} from '../../core/planning/index.ts';
import { readPlanFacts } from '../execution/read-plan-facts.ts';
import { ambiguousRectifications } from '../execution/check-rectification-rows.ts';
import { finishRequest } from './finish-request.ts';
import { SYSTEM_ACTOR } from './request-actor.ts';
import { executionInputOf, stagingLocationOf, type ExecutionInput } from './request-execution-input.ts';
import type { RequestRow } from './request-record.ts';
import type { StepKind } from './request-step-types.ts';
import {
  PermanentStepError,
  type StepContext,
  type StepHandler,
  type StepHandlers,
} from './run-request-step.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';

/** The per-system step kind of each request type; restriction and objection have none. */
const SYSTEM_STEP: Partial<Record<RequestRow['type'], StepKind>> = {
  access: 'access',
  portability: 'access',
  erasure: 'erase',
  rectification: 'rectify',
};

/**
 * The plan a request type executes; deterministic given the same facts, so each step recomputes
 * it (with the live catalog of the systems it runs on, `readPlanFacts`).
 */
export function planOf(
  request: RequestRow,
  dataMap: DataMap,
  input: ExecutionInput,
  facts?: PlanFacts,
): DsrPlan | undefined {
  if (request.type === 'access' || request.type === 'portability')
    return planAccess(dataMap, input.identities, facts);
  if (request.type === 'erasure')
    return planErasure(
      dataMap,
      input.identities,
      { ...(request.scope?.fields ? { fields: request.scope.fields } : {}) },
      facts,
    );
  if (request.type === 'rectification')
    return planRectification(dataMap, input.identities, input.corrections, facts);
  return undefined;
}

/** The live facts of some systems (all of the request's when none are named). */
function factsFor(
  services: StepContext['services'],
  request: RequestRow,
  systems?: string[],
): Promise<PlanFacts> {
  return readPlanFacts(services.dataMaps.forTenant(request.tenant_id).dataMap, {
    ...((systems ?? request.scope?.systems) ? { systems: systems ?? request.scope!.systems! } : {}),
    connectorFor: (system) => services.connectors.forSystem(request.tenant_id, system),
  });
}

/**
 * plan: decides the steps. From the data map and the identities it lists the systems holding the
 * subject's data (within the request's scope) and adds one step per system, then the package
 * (access) and the completion. A plan with errors fails the request at once, with the errors.
 */
const planStep: StepHandler = {
  whenExhausted: 'end',
  async run({ services, request }) {
    const dataMap = services.dataMaps.forTenant(request.tenant_id).dataMap;
    const input = await executionInputOf(services, request);
    const systemKind = SYSTEM_STEP[request.type];
    if (!systemKind)
      return { result: { systems: [] }, addSteps: [{ kind: 'publish' }, { kind: 'complete' }] };
    const plan = planOf(request, dataMap, input, await factsFor(services, request))!;
    if (plan.errors.length)
      throw new PermanentStepError(`the plan has errors: ${plan.errors.map((e) => e.message).join('; ')}`);
    if (plan.kind === 'rectification') {
      // Nothing is written when the request is ambiguous about its rows: it must name them first.
      const ambiguous = await ambiguousRectifications(plan, (id) =>
        services.connectors.forSystem(
          request.tenant_id,
          dataMap.systems.find((s) => s.id === id)!,
        ),
      );
      if (ambiguous.length)
        throw new PermanentStepError(`the request must say which rows to correct: ${ambiguous.join('; ')}`);
    }
    const scope = request.scope?.systems;
    const unknown = (scope ?? []).filter((id) => !dataMap.systems.some((s) => s.id === id));
    if (unknown.length)
      throw new PermanentStepError(
        `the request's scope names systems the data map does not have: ${unknown.join(', ')}`,
      );
    const systems = plan.systems.map((s) => s.system).filter((id) => !scope || scope.includes(id));
    return {
      result: {
        systems,
        collections: plan.systems
          .filter((s) => systems.includes(s.system))
          .reduce((n, s) => n + s.steps.length, 0),
        unreached: plan.unreached.length,
        notes: plan.notes.map((note) => note.message),
        ...(plan.warnings?.length ? { warnings: plan.warnings.map((warning) => warning.message) } : {}),
        ...(plan.facts ? { facts: plan.facts } : {}),
      },
      addSteps: [
        ...systems.map((system) => ({ kind: systemKind, system })),
        ...(systemKind === 'access' ? [{ kind: 'package' as const }] : []),
        { kind: 'complete' },
      ],
    };
  },
};

/**
 * publish (restriction, objection): there is nothing to change in the source systems that the data
 * map could describe, so Steward tells every downstream receiver (webhooks, NATS) to restrict or
 * stop the processing (GDPR Art. 18, 19, 21; CCPA §1798.120). The event carries the identities
 * receivers need, and is published in the transaction that records the step, exactly once. A CCPA
 * opt-out is also recorded in the consent ledger as a withdrawal of `ccpa.sale_sharing` for each
 * identity, so consent checks answer "no" from then on.
 */
const publishStep: StepHandler = {
  whenExhausted: 'end',
  async run({ services, request }) {
    const input = await executionInputOf(services, request);
    const type = `dsr.${request.type}.requested`;
    const optOut = request.regime === 'ccpa' && request.regime_type === 'opt_out';
    const subjects = [...new Set(Object.values(input.identities).flat())];
    return {
      result: {
        event: type,
        receivers: 'every webhook and NATS subscriber of the event',
        ...(optOut
          ? { consentWithdrawn: services.subjectConsent.optOutPurpose, subjects: subjects.length }
          : {}),
      },
      commit: async (trx) => {
        await publishEvent(trx, {
          tenantId: request.tenant_id,
          type,
          source: 'dsr',
          topic: `dsr.${request.type}`,
          orderingKey: `dsr-request:${request.id}`,
          id: `${request.id}:${type}`,
          data: {
            requestId: request.id,
            type: request.type,
            regime: request.regime,
            regimeType: request.regime_type,
            identities: input.identities,
            scope: request.scope,
          },
        });
        if (!optOut) return;
        await services.subjectConsent.recordOptOut(
          trx,
          { ...SYSTEM_ACTOR, tenantId: request.tenant_id, requestId: request.id },
          subjects,
          request.source === 'privacy_center' ? 'web' : 'api',
        );
      },
      afterCommit: () => {
        if (optOut) services.subjectConsent.forgetCachedAnswers(request.tenant_id, subjects);
      },
    };
  },
};

/** The data map system of a per-system step and its pooled connector. */
function systemOf(context: StepContext) {
  const { services, request, step } = context;
  const system = services.dataMaps.forTenant(request.tenant_id).system(step.system!);
  if (!system) throw new PermanentStepError(`system ${step.system} is no longer in the data map`);
  return { system, connector: services.connectors.forSystem(request.tenant_id, system) };
}

async function planFor(context: StepContext): Promise<DsrPlan> {
  const { services, request, step } = context;
  const facts = await factsFor(services, request, step.system ? [step.system] : undefined);
  const plan = planOf(
    request,
    services.dataMaps.forTenant(request.tenant_id).dataMap,
    await executionInputOf(services, request),
    facts,
  )!;
  // Other systems were planned without their catalogs here; the plan step checked them with theirs.
  plan.errors = plan.errors.filter((e) => !e.system || e.system === step.system);
  if (plan.errors.length)
    throw new PermanentStepError(`the plan has errors: ${plan.errors.map((e) => e.message).join('; ')}`);
  return plan;
}

/**
 * access (one system): streams the subject's rows into encrypted staging files. Read-only, so an
 * interrupted run is simply run again (the staging is replaced).
 */
const accessStep: StepHandler = {
  whenExhausted: 'continue',
  async run(context) {
    const { system, connector } = systemOf(context);
    const plan = await planFor(context);
    const staged = await stageSystemAccess(
      stagingLocationOf(context.services, context.request),
      system.id,
      runAccessForSystem(plan, system.id, connector, { signal: context.signal }),
    );
    return {
      result: { collections: staged.collections.map((c) => ({ collection: c.collection, rows: c.rows })) },
    };
  },
};

/**
 * erase (one system): one transaction in the source system. If a worker dies after the source
 * committed but before Steward recorded it, the step runs again and finds nothing left to delete
 * and the masked values already masked: no second effect, and the report says it was resumed
 * (its counts are then those of the repeat).
 */
const eraseStep: StepHandler = {
  whenExhausted: 'continue',
  async run(context) {
    const { system, connector } = systemOf(context);
    const plan = await planFor(context);
    const { services, request } = context;
    const report = await runErasureForSystem(plan, system.id, connector, {
      signal: context.signal,
      resolveKey: (reference) => services.secrets.resolve(reference, request.tenant_id),
    });
    // The executed part of the plan (structure only: no identity values) is what the journal replays.
    const executed = plan.systems.find((s) => s.system === system.id);
    return {
      result: {
        report,
        ...(executed ? { plan: executed } : {}),
        ...(context.attempt > 1
          ? {
              resumed: true,
              note: 'an earlier attempt was interrupted; rows it already erased are not counted again',
            }
          : {}),
      },
    };
  },
};

/** rectify (one system): one transaction; writing the same values again is harmless. */
const rectifyStep: StepHandler = {
  whenExhausted: 'continue',
  async run(context) {
    const { system, connector } = systemOf(context);
    const report = await runRectificationForSystem(await planFor(context), system.id, connector);
    return { result: { report, ...(context.attempt > 1 ? { resumed: true } : {}) } };
  },
};

/** package: the access package from what the access steps staged, with the Art. 15 context. */
const packageStep: StepHandler = {
  whenExhausted: 'end',
  async run({ services, request }) {
    const location = stagingLocationOf(services, request);
    const accessSteps = await services.database.db
      .selectFrom('dsr_request_steps')
      .select('system')
      .where('tenant_id', '=', request.tenant_id)
      .where('request_id', '=', request.id)
      .where('kind', '=', 'access')
      .where('status', '=', 'succeeded')
      .orderBy('seq')
      .execute();
    const staged: StagedSystem[] = [];
    for (const { system } of accessSteps) {
      const found = await readStagedSystem(location, system!);
      if (!found)
        throw new PermanentStepError(
          `the staged rows of system ${system} are missing; the access step must run again`,
        );
      staged.push(found);
    }
    if (staged.length === 0)
      throw new PermanentStepError('no system could be read, so there is nothing to package');
    const dataMap = services.dataMaps.forTenant(request.tenant_id).dataMap;
    const built = await buildAccessPackage(
      location,
      {
        id: request.id,
        type: request.type,
        regime: request.regime,
        regimeType: request.regime_type,
        receivedAt: request.received_at.toISOString(),
      },
      article15Context(dataMap, staged),
      staged,
      // GDPR Art. 15 covers what Steward itself holds: the consents given and withdrawn, under any identity.
      [
        {
          key: 'consentHistory',
          file: 'consent-history.json',
          records: await services.subjectConsent.historiesOf(
            request.tenant_id,
            Object.values((await executionInputOf(services, request)).identities).flat(),
          ),
        },
      ],
    );
    const expiresAt = new Date(Date.now() + services.config.dsr.packages.retentionDays * 24 * 3600 * 1000);
    return {
      result: { collections: built.collections, rows: built.rows, sizeBytes: built.sizeBytes },
      commit: async (trx) => {
        const values = {
          file: built.file,
          size_bytes: built.sizeBytes,
          collections: built.collections,
          rows: built.rows,
          expires_at: expiresAt,
          deleted_at: null,
        };
        await trx
          .insertInto('dsr_packages')
          .values({ tenant_id: request.tenant_id, request_id: request.id, ...values })
          .onConflict((oc) => oc.column('request_id').doUpdateSet(values))
          .execute();
      },
    };
  },
};

/** complete: removes the staged rows and ends the request with what the steps achieved. */
const completeStep: StepHandler = {
  whenExhausted: 'end',
  async run({ services, request }) {
    await removeStaging({
      dataDir: stagingLocationOf(services, request).dataDir,
      tenantId: request.tenant_id,
      requestId: request.id,
    });
    return {
      result: {},
      commit: async (trx) => {
        await finishRequest(services, trx, request, SYSTEM_ACTOR);
      },
    };
  },
};

export const DSR_STEP_HANDLERS: StepHandlers = {
  plan: planStep,
  access: accessStep,
  erase: eraseStep,
  rectify: rectifyStep,
  publish: publishStep,
  package: packageStep,
  complete: completeStep,
};
