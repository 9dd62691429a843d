import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import type { ConsentServices } from '../consent-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import type { ConsentDecision } from '../core/consent-decision.ts';
import { CONSENT_CHANNEL, subjectChangedPayload } from '../core/consent-notifications.ts';
import { hashProof, type ProofInput } from './consent-proof.ts';
import type { ConsentSource } from '../store/consent-tables.ts';
import { invalidateSubjects } from './record-consent.ts';
import { decodeTcString, type DecodedTcString } from '../core/tcf-string.ts';

/** The latest TC string of a subject, reduced to what checks need. */
import type { IdSet, TcfSummary } from '../core/tcf-summary.ts';
import { rangeSet, storedRanges } from '../core/id-ranges.ts';
export type { TcfSummary };

export interface TcfRecord extends Omit<DecodedTcString, 'created' | 'lastUpdated'> {
  id: string;
  subject: string;
  tcString: string;
  created: string;
  lastUpdated: string;
  recordedAt: string;
}

/** Validates, decodes and stores a TC string for a subject; publishes consent.tcf.recorded. */
export async function recordTcString(
  services: ConsentServices,
  actor: ChangeActor,
  input: { subject: string; tcString: string; source?: ConsentSource; proof?: ProofInput },
): Promise<TcfRecord> {
  if (!input.subject)
    throw new InvalidInput('consent.bad_subject', 'Give the subject the TC string belongs to.');
  const decoded = decodeTcString(input.tcString);
  const id = randomUUID();
  const tenantId = actor.tenantId;
  const record = await services.database.db.transaction().execute(async (trx) => {
    const proof = input.proof ? hashProof(await services.consent.proofKey(trx, tenantId), input.proof) : null;
    const row = await trx
      .insertInto('consent_tcf_records')
      .values({
        id,
        tenant_id: tenantId,
        subject: input.subject,
        tc_string: input.tcString.trim(),
        cmp_id: decoded.cmpId,
        cmp_version: decoded.cmpVersion,
        policy_version: decoded.policyVersion,
        vendor_list_version: decoded.vendorListVersion,
        consent_language: decoded.consentLanguage,
        publisher_country_code: decoded.publisherCountryCode,
        purpose_consents: JSON.stringify(decoded.purposeConsents),
        purpose_legitimate_interests: JSON.stringify(decoded.purposeLegitimateInterests),
        vendor_consents: JSON.stringify(decoded.vendorConsents),
        vendor_legitimate_interests: JSON.stringify(decoded.vendorLegitimateInterests),
        special_feature_optins: JSON.stringify(decoded.specialFeatureOptins),
        string_created_at: decoded.created,
        string_updated_at: decoded.lastUpdated,
        source: input.source ?? 'tcf',
        proof: proof ? JSON.stringify(proof) : null,
      })
      .returning(['recorded_at'])
      .executeTakeFirstOrThrow();
    const result: TcfRecord = {
      id,
      subject: input.subject,
      tcString: input.tcString.trim(),
      ...decoded,
      created: decoded.created.toISOString(),
      lastUpdated: decoded.lastUpdated.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
    };
    await publishEvent(trx, {
      tenantId,
      id,
      type: 'consent.tcf.recorded',
      source: 'consent',
      topic: 'consent.tcf',
      subject: input.subject,
      data: { ...result },
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor: { kind: actor.kind, id: actor.id },
      action: 'consent.tcf.recorded',
      object: { type: 'consent_tcf_record', id },
      outcome: 'success',
      subjectRef: input.subject,
      ...(actor.requestId ? { requestId: actor.requestId } : {}),
      details: {
        cmpId: decoded.cmpId,
        policyVersion: decoded.policyVersion,
        purposes: decoded.purposeConsents.length,
        vendors: decoded.vendorConsents.length,
      },
    });
    await sql`select pg_notify(${CONSENT_CHANNEL}, ${subjectChangedPayload(tenantId, input.subject)})`.execute(
      trx,
    );
    return result;
  });
  invalidateSubjects(services, tenantId, [input.subject]);
  return record;
}

/** The columns of a subject's latest TC string that checks need (`tcfSummaryOf` reads them). */
export const TCF_SUMMARY_COLUMNS = [
  'id',
  'purpose_consents',
  'purpose_legitimate_interests',
  'vendor_consents',
  'vendor_legitimate_interests',
  'special_feature_optins',
  'string_updated_at',
] as const;

export function tcfSummaryOf(row: {
  id: string;
  purpose_consents: number[];
  purpose_legitimate_interests: number[];
  vendor_consents: ReadonlyArray<number | readonly number[]>;
  vendor_legitimate_interests: ReadonlyArray<number | readonly number[]>;
  special_feature_optins: number[];
  string_updated_at: Date | string;
}): TcfSummary {
  return {
    id: row.id,
    purposeConsents: new Set(row.purpose_consents),
    purposeLegitimateInterests: new Set(row.purpose_legitimate_interests),
    vendorConsents: rangeSet(storedRanges(row.vendor_consents)),
    vendorLegitimateInterests: rangeSet(storedRanges(row.vendor_legitimate_interests)),
    specialFeatureOptins: new Set(row.special_feature_optins),
    lastUpdated: new Date(row.string_updated_at),
  };
}

// TCF Policy (v2.2) Appendix A: purposes 3–6 (personalised advertising and content profiles) may
// only rely on consent, never on legitimate interest.
const CONSENT_ONLY_TCF_PURPOSES = new Set([3, 4, 5, 6]);

/** Answers `tcf.purpose.<n>`, `tcf.vendor.<id>` and `tcf.special_feature.<n>` from the latest TC string. */
export function decideTcf(purpose: string, summary: TcfSummary | null): ConsentDecision {
  const [, kind, idText] = purpose.split('.');
  const id = Number(idText);
  if (!summary)
    return {
      allowed: false,
      purpose,
      legalBasis: null,
      reason: 'tcf_no_string',
      explanation: 'No TC string has been recorded for this subject.',
    };
  const consented =
    kind === 'purpose'
      ? summary.purposeConsents
      : kind === 'vendor'
        ? summary.vendorConsents
        : summary.specialFeatureOptins;
  if (consented.has(id)) {
    return {
      allowed: true,
      purpose,
      legalBasis: 'consent',
      reason: 'tcf_consent',
      explanation: `Consent signalled in the TC string last updated ${summary.lastUpdated.toISOString()}.`,
    };
  }
  const interests =
    kind === 'purpose'
      ? summary.purposeLegitimateInterests
      : kind === 'vendor'
        ? summary.vendorLegitimateInterests
        : (new Set<number>() as IdSet);
  if (interests.has(id) && !(kind === 'purpose' && CONSENT_ONLY_TCF_PURPOSES.has(id))) {
    return {
      allowed: true,
      purpose,
      legalBasis: 'legitimate_interests',
      reason: 'other_legal_basis',
      explanation: 'Legitimate interest established and not objected to in the TC string.',
    };
  }
  return {
    allowed: false,
    purpose,
    legalBasis: null,
    reason: 'tcf_no_consent',
    explanation: `The TC string last updated ${summary.lastUpdated.toISOString()} gives no consent for ${purpose}.`,
  };
}
