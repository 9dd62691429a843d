import { z } from 'zod';

/** Vendor ids as inclusive ranges, as the TC string encodes them: `[[1, 65535]]` is every vendor. */
const vendorRanges = z
  .array(z.tuple([z.number().int(), z.number().int()]))
  .describe('Inclusive vendor id ranges [first, last], as the TC string encodes them.');

export const legalBasisSchema = z.enum([
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
  'ccpa_notice_at_collection',
]);
export const mechanismSchema = z.enum(['opt_in', 'opt_out', 'notice_only']);
export const sourceSchema = z.enum(['web', 'api', 'import', 'gpc', 'tcf', 'system']);
const subject = z
  .string()
  .min(1)
  .max(512)
  .describe('The data subject: your user id, an email address, a device id.');
const purpose = z
  .string()
  .min(1)
  .max(200)
  .describe(
    'A data use from the taxonomy (marketing.communications.email), ccpa.sale_sharing, ccpa.sensitive_pi, or tcf.purpose.<n> / tcf.vendor.<id>.',
  );
const jurisdiction = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as DE or US-CA')
  .optional();

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

export const noticeInputSchema = noticeContentSchema
  .extend({ key: z.string().min(1).max(64), purpose })
  .strict();

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
  reason: z.enum([
    'consent_given',
    'other_legal_basis',
    'not_opted_out',
    'withdrawn',
    'gpc_opt_out',
    'expired',
    'never_given',
    'no_notice',
    'tcf_consent',
    'tcf_no_consent',
    'tcf_no_string',
    'error',
  ]),
  explanation: z.string(),
  consent: z
    .object({
      id: z.string(),
      notice: z.string().nullable(),
      noticeVersion: z.number().int().nullable(),
      givenAt: z.string(),
      expiresAt: z.string().nullable(),
      source: sourceSchema,
    })
    .optional(),
});

export const consentChangesSchema = z
  .object({
    subject,
    jurisdiction,
    source: z
      .enum(['web', 'api'])
      .default('api')
      .describe('web: the person acted in a browser (proof records IP and user agent as hashes).'),
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
  .strict()
  .meta({
    examples: [
      {
        subject: 'customer-1042',
        jurisdiction: 'DE',
        source: 'web',
        changes: [
          {
            purpose: 'marketing.communications.email',
            action: 'given',
            notice: 'newsletter',
            noticeVersion: 2,
          },
          { purpose: 'analytics.reporting', action: 'withdrawn' },
        ],
      },
    ],
  });

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
  consentOnlyData: z
    .array(z.object({ system: z.string(), collection: z.string(), field: z.string() }))
    .optional(),
});

export const subjectParams = z.object({ subject });

const ledgerAction = z.enum(['given', 'withdrawn', 'expired', 'renewed']);
const consentStatus = z.enum(['given', 'withdrawn', 'expired']);

/** GET /consent/subjects/:subject/history (consent-history.ts). */
export const historySchema = z.object({
  subject: z.string(),
  entries: z.array(
    z.object({
      id: z.string(),
      purpose: z.string(),
      action: ledgerAction,
      notice: z.string().nullable(),
      noticeVersion: z.number().int().nullable(),
      noticeTitle: z.string().nullable(),
      legalBasis: legalBasisSchema.nullable(),
      source: sourceSchema,
      jurisdiction: z.string().nullable(),
      occurredAt: z.string(),
      expiresAt: z.string().nullable(),
      recordedAt: z.string(),
    }),
  ),
  current: z.array(
    z.object({
      purpose: z.string(),
      status: consentStatus,
      since: z.string(),
      expiresAt: z.string().nullable(),
    }),
  ),
  tcStrings: z.array(
    z.object({
      id: z.string(),
      tcString: z.string(),
      cmpId: z.number().int(),
      purposeConsents: z.array(z.number().int()),
      vendorConsents: vendorRanges,
      recordedAt: z.string(),
    }),
  ),
});

/** POST /consent/tcf: the decoded TC string as stored (tcf-records.ts). */
export const tcfRecordSchema = z.object({
  id: z.string(),
  subject: z.string(),
  tcString: z.string(),
  cmpId: z.number().int(),
  cmpVersion: z.number().int(),
  policyVersion: z.number().int(),
  vendorListVersion: z.number().int(),
  consentLanguage: z.string(),
  publisherCountryCode: z.string(),
  purposeConsents: z.array(z.number().int()),
  purposeLegitimateInterests: z.array(z.number().int()),
  vendorConsents: vendorRanges,
  vendorLegitimateInterests: vendorRanges,
  specialFeatureOptins: z.array(z.number().int()),
  created: z.string(),
  lastUpdated: z.string(),
  recordedAt: z.string(),
});

/** POST /consent/import: 201 when committed, 422 when lines were rejected and nothing was written, 200 for an empty file. */
export const importReportSchema = z.object({
  format: z.enum(['csv', 'jsonl']),
  lines: z.number().int(),
  imported: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  committed: z.boolean(),
});
