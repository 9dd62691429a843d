import { randomUUID } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import type { DsrRequestIdentitiesTable, RequestScope } from '../../store/dsr-tables.ts';
import { Conflict, InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { deadlinesFor } from '../../core/deadlines/regime-deadlines.ts';
import type { Correction } from '../../core/planning/dsr-plan.ts';
import { planErasure } from '../../core/planning/plan-erasure.ts';
import { planRectification } from '../../core/planning/plan-rectification.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { dsrKeyring, type DsrKeyring } from './dsr-keyring.ts';
import type { RequestActor } from './request-actor.ts';
import { recordIntake } from './record-intake.ts';
import { withOpenDuplicate, type DuplicateQuery } from './open-duplicate.ts';
import type { RequestRow } from './request-record.ts';
import { resolveRequestType, type Regime, type SubmittableType } from './request-types.ts';
import { contactContext, correctionsContext, identityContext } from './subject-reference.ts';
import { identityRulesOf } from './identity-rules.ts';
import { normaliseIdentities, type IdentityMatchRule, type SubjectIdentities } from './subject-identities.ts';
import { unmatchableIdentities } from '../../core/planning/identity-fit.ts';
import { dutiesPolicyFor } from '../../../../platform/auth/separation-of-duties.ts';
import { didYouMean } from '../../../../kernel/errors/did-you-mean.ts';

export interface SubmitRequestInput {
  type: SubmittableType;
  regime?: Regime;
  identities: SubjectIdentities;
  /** Where notices and results go; defaults to the email identity. */
  contactEmail?: string;
  /** Rectification only (GDPR Art. 16, CCPA §1798.106): targets and new values. */
  corrections?: Correction[];
  scope?: RequestScope;
  /** Agents only: the agent has verified the subject's identity by other means. */
  identityVerified?: boolean;
  /** Agents only: when the request actually arrived (by post, phone), if earlier than now. */
  receivedAt?: Date;
  /** Agents only: record a duplicate, linked to the earlier open request, instead of refusing it. */
  onDuplicate?: 'reject' | 'link';
}

export interface SubmitContext {
  tenantId: string;
  actor: RequestActor;
  /** An authenticated agent (dsr:write) rather than the public privacy center. */
  agent: boolean;
  requestId?: string;
}

/**
 * Records a new request with its deadlines, refusing (409) an open request of the same type for the
 * same identity within `dsr.duplicateWindowDays`. Then either asks for the one-time code to be sent
 * to the subject's email, or, when an agent vouches for the identity, moves on as verified.
 */
export async function submitRequest(
  services: DsrServices,
  input: SubmitRequestInput,
  context: SubmitContext,
): Promise<RequestRow> {
  const { config } = services;
  const resolved = resolveRequestType(input.type, input.regime);
  const rules = identityRulesOf(services, context.tenantId);
  const unknown = Object.keys(input.identities).filter((name) => !(name in rules));
  if (unknown.length) {
    throw new InvalidInput(
      'dsr.unknown_identity',
      `Unknown identity ${unknown.join(', ')}.${unknown.map((name) => didYouMean(name, Object.keys(rules))).join('')} This installation knows: ${Object.keys(rules).join(', ')}.`,
      { unknown },
    );
  }
  const identities = normaliseIdentities(input.identities, rules);
  const dataMap = services.dataMaps.forTenant(context.tenantId);
  const unknownSystems = (input.scope?.systems ?? []).filter((id) => !dataMap.system(id));
  if (unknownSystems.length) {
    throw new InvalidInput(
      'dsr.unknown_system',
      `The scope names systems the data map does not have: ${unknownSystems.join(', ')}.`,
      { unknownSystems },
    );
  }
  checkScopedFields(input.scope?.fields, resolved.type, dataMap);
  refuseUnmatchableIdentities(dataMap.dataMap, identities, rules);
  rejectAgentOnlyOptions(input, context);
  const contactEmail = (input.contactEmail ?? identities.email)?.trim().toLowerCase();
  if (!contactEmail) {
    throw new InvalidInput(
      'dsr.contact_required',
      'Give contactEmail or an email identity: notices and results are sent there.',
    );
  }
  if (!context.agent && input.contactEmail && identities.email && contactEmail !== identities.email) {
    throw new InvalidInput(
      'dsr.contact_must_match',
      'The privacy center sends the verification code and the results to the email identity; leave contactEmail out or make it the same.',
    );
  }
  if (!input.identityVerified && !identities.email) {
    throw new InvalidInput(
      'dsr.email_identity_required',
      'Identities are verified by a one-time code sent by email: include identities.email (or, as an agent, set identityVerified after verifying the subject yourself).',
    );
  }
  const corrections = input.corrections ?? [];
  if (resolved.type === 'rectification' && corrections.length === 0) {
    throw new InvalidInput(
      'dsr.corrections_required',
      'A rectification request needs "corrections": the fields to correct and their new values.',
    );
  }
  if (resolved.type !== 'rectification' && corrections.length > 0) {
    throw new InvalidInput(
      'dsr.corrections_unexpected',
      `Only rectification requests take "corrections"; this is a ${resolved.type} request.`,
    );
  }
  refuseFaultyPlan(resolved.type, dataMap.dataMap, identities, corrections, input.scope);
  const now = new Date();
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime())
    throw new InvalidInput('dsr.received_in_future', 'receivedAt cannot be in the future.');
  const deadlines = deadlinesFor(resolved.regime, receivedAt, config.dsr.deadlines.holidays);
  const keyring = dsrKeyring(config.dsr);
  const id = randomUUID();
  const hashes = Object.entries(identities).map(([name, value]) => ({
    name,
    value,
    hash: keyring.lookupHash(context.tenantId, name, value),
  }));

  const duplicates: DuplicateQuery = {
    tenantId: context.tenantId,
    type: resolved.type,
    hashes: hashes.map((h) => h.hash),
    now,
    windowDays: config.dsr.duplicateWindowDays,
  };
  const refuse = (duplicateOf: { id: string; contact_hash: string }) => {
    const sameRequester =
      duplicateOf.contact_hash === keyring.lookupHash(context.tenantId, 'contact', contactEmail);
    return new Conflict(
      'dsr.duplicate',
      `An open ${resolved.type} request for this data subject already exists${context.agent || sameRequester ? ` (${duplicateOf.id})` : ''}; it is being handled. ${context.agent ? 'Submit with onDuplicate "link" to record this one anyway.' : ''}`.trim(),
      context.agent || sameRequester ? { existingRequestId: duplicateOf.id } : {},
    );
  };

  return services.database.db.transaction().execute(async (trx) => {
    // Serialise submissions naming the same identity, so two concurrent ones cannot both pass the
    // duplicate check: the check runs in a later statement, whose snapshot sees every intake that
    // held these locks before. One statement takes them all, in sorted order (no deadlock).
    const keys = hashes.map((h) => `dsr:${context.tenantId}:${h.hash}`).sort();
    await sql`select pg_advisory_xact_lock(hashtextextended(k, 0))
      from unnest(${keys}::text[]) with ordinality as l(k, n) order by n`.execute(trx);
    // Linking names the earlier request in the new one's records, so it is looked up first; a
    // refusal is found by the intake's own statement, which is then rolled back.
    const linking = input.onDuplicate === 'link';
    const duplicateOf = linking
      ? await withOpenDuplicate(trx, duplicates).selectFrom('open_duplicate').selectAll().executeTakeFirst()
      : undefined;
    const outcome = await recordIntake(services, trx, {
      request: {
        id,
        tenant_id: context.tenantId,
        type: resolved.type,
        regime: resolved.regime,
        regime_type: resolved.regimeType,
        state: 'received',
        source: context.agent ? 'agent' : 'privacy_center',
        scope: input.scope ? JSON.stringify(input.scope) : null,
        contact_ciphertext: keyring.encryptText(contactEmail, contactContext(id)),
        contact_hash: keyring.lookupHash(context.tenantId, 'contact', contactEmail),
        corrections_ciphertext: corrections.length
          ? keyring.encryptText(JSON.stringify(corrections), correctionsContext(id))
          : null,
        verified_by: null,
        // Four eyes (auth.separationOfDuties): an erasure cannot be undone, so it always waits for a second person.
        approval_required:
          config.dsr.approvalRequired.includes(resolved.type) ||
          (resolved.type === 'erasure' && dutiesPolicyFor(config.auth, context.tenantId).requests),
        duplicate_of: duplicateOf?.id ?? null,
        received_at: receivedAt,
        confirmation_due_at: deadlines.confirmationDueAt,
        due_at: deadlines.dueAt,
        original_due_at: deadlines.dueAt,
        created_by_kind: context.actor.kind,
        created_by_id: context.actor.id,
        updated_at: now,
      },
      identities: identityRows(keyring, context.tenantId, id, hashes),
      actor: context.actor,
      ...(context.requestId ? { requestId: context.requestId } : {}),
      subjectRef: `${hashes[0]!.name}:${hashes[0]!.value}`,
      identityVerified: input.identityVerified === true,
      ...(linking ? {} : { refuseDuplicate: duplicates }),
    });
    if (outcome.duplicate) throw refuse(outcome.duplicate);
    return outcome.request;
  });
}

function checkScopedFields(
  fields: RequestScope['fields'],
  type: string,
  dataMap: ReturnType<DsrServices['dataMaps']['forTenant']>,
): void {
  if (!fields) return;
  if (type !== 'erasure')
    throw new InvalidInput(
      'dsr.scope_fields_erasure_only',
      `Only erasure requests can be limited to fields; this is a ${type} request.`,
    );
  const unknown = fields.filter(
    (f) =>
      !dataMap
        .system(f.system)
        ?.collections.some(
          (c) => c.name === f.collection && c.fields.some((field) => field.name === f.field),
        ),
  );
  if (unknown.length) {
    const names = unknown.map((f) => `${f.system}.${f.collection}.${f.field}`);
    throw new InvalidInput(
      'dsr.unknown_field',
      `The scope names fields the data map does not have: ${names.join(', ')}.`,
      { unknownFields: names },
    );
  }
}

/** Plan errors that do not depend on the live systems: what the request asks cannot be done as asked. */
const STRUCTURAL_ERRORS =
  /^(rectification\.|erasure\.(unkeyed_hash|mask_primary_key|mask_foreign_key|scoped_field_unmaskable)$)/;

/**
 * A rectification or erasure whose plan has errors is refused at submission, with the errors,
 * rather than accepted and failed later (a key column to rewrite, a category no field holds).
 * Only what the data map alone decides is checked here; the plan step checks again with the live
 * catalogs before anything runs.
 */
/**
 * An identity value of the wrong type for every field it is compared with (`customer_id: "5 OR 1=1"`
 * against integer keys) is refused here, naming the fields and what they hold, never the value.
 */
function refuseUnmatchableIdentities(
  dataMap: DataMap,
  identities: SubjectIdentities,
  rules: Record<string, IdentityMatchRule>,
): void {
  const unmatchable = unmatchableIdentities(dataMap, identities, (name) => rules[name] === 'e164');
  if (!unmatchable.length) return;
  const described = unmatchable.map(
    ({ identity, fields }) =>
      `"${identity}" can match nothing: ${fields.map((f) => `${f.field} (${f.reason})`).join(', ')}`,
  );
  throw new InvalidInput(
    'dsr.identity_type_mismatch',
    `Identity ${described.join('; ')}. Check the value${unmatchable.length > 1 ? 's' : ''}, or leave ${unmatchable.length > 1 ? 'them' : 'it'} out.`,
    { identities: unmatchable },
  );
}

function refuseFaultyPlan(
  type: string,
  dataMap: DataMap,
  identities: SubjectIdentities,
  corrections: Correction[],
  scope: RequestScope | undefined,
): void {
  if (type !== 'rectification' && type !== 'erasure') return;
  const values = Object.fromEntries(Object.entries(identities).map(([name, value]) => [name, [value]]));
  const plan =
    type === 'rectification'
      ? planRectification(dataMap, values, corrections)
      : planErasure(dataMap, values, scope?.fields ? { fields: scope.fields } : {});
  const errors = plan.errors.filter(
    (e) =>
      STRUCTURAL_ERRORS.test(e.code) && (!scope?.systems || !e.system || scope.systems.includes(e.system)),
  );
  if (!errors.length) return;
  throw new InvalidInput(
    'dsr.plan_has_errors',
    `The request cannot be carried out as asked: ${errors.map((e) => e.message).join(' ')}`,
    {
      errors: errors.map((e) => ({
        code: e.code,
        ...(e.system ? { system: e.system } : {}),
        ...(e.collection ? { collection: e.collection } : {}),
      })),
    },
  );
}

function rejectAgentOnlyOptions(input: SubmitRequestInput, context: SubmitContext): void {
  if (context.agent) return;
  const used = (['identityVerified', 'receivedAt', 'onDuplicate'] as const).filter(
    (key) => input[key] !== undefined,
  );
  if (used.length) {
    throw new InvalidInput(
      'dsr.agent_only',
      `${used.join(', ')} may only be set by an authenticated agent with dsr:write.`,
      { fields: used },
    );
  }
}

function identityRows(
  keyring: DsrKeyring,
  tenantId: string,
  requestId: string,
  hashes: { name: string; value: string; hash: string }[],
): Insertable<DsrRequestIdentitiesTable>[] {
  return hashes.map((h) => ({
    tenant_id: tenantId,
    request_id: requestId,
    name: h.name,
    value_hash: h.hash,
    value_ciphertext: keyring.encryptText(h.value, identityContext(requestId, h.name)),
  }));
}
