import { z } from 'zod';

export const legalBasisSchema = z.enum(['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests', 'ccpa_notice_at_collection']);
export const mechanismSchema = z.enum(['opt_in', 'opt_out', 'notice_only']);
export const sourceSchema = z.enum(['web', 'api', 'import', 'gpc', 'tcf', 'system']);
const subject = z.string().min(1).max(512).describe('The data subject: your user id, an email address, a device id.');
const purpose = z.string().min(1).max(200).describe('A data use from the taxonomy (marketing.communications.email), ccpa.sale_sharing, ccpa.sensitive_pi, or tcf.purpose.<n> / tcf.vendor.<id>.');
const jurisdiction = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as DE or US-CA').optional();

export const noticeContentSchema = z
  .object({
    title: z.string().min(1).max(300),
    text: z.string().min(1).max(100_000),
    legalBasis: legalBasisSchema,
    mechanism: mechanismSchema,
    regions: z.array(z.string()).max(100).optional(),
    validityMonths: z.number().int().min(1).max(120).nullable().optional(),
  })
  .strict();

export const noticeInputSchema = noticeContentSchema.extend({ key: z.string().min(1).max(64), purpose }).strict();

export const noticeSchema = z.object({
  id: z.string(),
  key: z.string(),
  purpose: z.string(),
  version: z.number().int(),
  title: z.string(),
  text: z.string(),
  legalBasis: legalBasisSchema,
  mechanism: mechanismSchema,
  regions: z.array(z.string()),
  validityMonths: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const checkQuerySchema = z.object({ subject, purpose, jurisdiction }).strict();

export const decisionSchema = z.object({
  allowed: z.boolean(),
  purpose: z.string(),
  legalBasis: legalBasisSchema.nullable(),
  reason: z.enum(['consent_given', 'other_legal_basis', 'not_opted_out', 'withdrawn', 'gpc_opt_out', 'expired', 'never_given', 'no_notice', 'tcf_consent', 'tcf_no_consent', 'tcf_no_string', 'error']),
  explanation: z.string(),
  consent: z
    .object({ id: z.string(), notice: z.string().nullable(), noticeVersion: z.number().int().nullable(), givenAt: z.string(), expiresAt: z.string().nullable(), source: sourceSchema })
    .optional(),
});

export const consentChangesSchema = z
  .object({
    subject,
    jurisdiction,
    source: z.enum(['web', 'api']).default('api').describe('web: the person acted in a browser (proof records IP and user agent as hashes).'),
    changes: z
      .array(
        z
          .object({
            purpose,
            action: z.enum(['given', 'withdrawn']),
            notice: z.string().max(64).optional(),
            noticeVersion: z.number().int().min(1).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

export const ledgerEntrySchema = z.object({
  id: z.string(),
  subject: z.string(),
  purpose: z.string(),
  action: z.enum(['given', 'withdrawn', 'expired', 'renewed']),
  notice: z.string().nullable(),
  noticeVersion: z.number().int().nullable(),
  legalBasis: legalBasisSchema.nullable(),
  source: sourceSchema,
  jurisdiction: z.string().nullable(),
  occurredAt: z.string(),
  expiresAt: z.string().nullable(),
  consentOnlyData: z.array(z.object({ system: z.string(), collection: z.string(), field: z.string() })).optional(),
});

export const subjectParams = z.object({ subject });
