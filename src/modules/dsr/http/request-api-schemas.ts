import { z } from 'zod';
import { REGIMES, REQUEST_TYPES, SUBMITTABLE_TYPES } from '../use-cases/requests/request-types.ts';
import { REQUEST_STATES } from '../use-cases/requests/request-states.ts';
import { STEP_STATUSES } from '../use-cases/requests/request-step-types.ts';

/** zod schemas of the /v1/requests API: they validate input, type handlers and document the API. */

const correctionValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const correctionSchema = z.object({
  target: z.union([
    z
      .object({
        category: z
          .string()
          .min(1)
          .describe(
            'A data category, e.g. user.contact.address.city: every field of that category is corrected.',
          ),
      })
      .strict(),
    z
      .object({
        identity: z
          .string()
          .min(1)
          .describe('An identity name, e.g. email: every field holding it is corrected.'),
      })
      .strict(),
    z.object({ system: z.string().min(1), collection: z.string().min(1), field: z.string().min(1) }).strict(),
  ]),
  value: correctionValue,
  rows: z
    .union([
      z.literal('all'),
      z
        .array(
          z
            .object({
              system: z.string().min(1).optional(),
              collection: z.string().min(1),
              key: z
                .record(z.string(), z.union([z.string(), z.number()]))
                .describe('Primary-key column → value, e.g. { "id": 100 }.'),
            })
            .strict(),
        )
        .min(1)
        .max(100),
    ])
    .optional()
    .describe(
      'Where the subject has several rows in a collection (two addresses): the rows to correct by key, or "all". Without it such a correction is refused rather than written into every row.',
    ),
});

export const submitRequestBody = z
  .object({
    type: z
      .enum(SUBMITTABLE_TYPES)
      .describe(
        'GDPR: access, portability, erasure, rectification, restriction, objection. CCPA: know, delete, correct, opt_out.',
      ),
    regime: z
      .enum(REGIMES)
      .optional()
      .describe('gdpr (default for GDPR types) or ccpa (implied by CCPA types). Sets the deadlines.'),
    identities: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), z.string().min(1).max(320))
      .describe(
        'The data subject: { "email": "…", "phone": "+49…", "user_id": "…" } or custom identities declared in the data map.',
      ),
    contactEmail: z
      .string()
      .email()
      .max(320)
      .optional()
      .describe('Where notices and results go; defaults to identities.email.'),
    corrections: z
      .array(correctionSchema)
      .max(100)
      .optional()
      .describe('Rectification only: what to correct and the new values.'),
    scope: z
      .object({
        systems: z.array(z.string().min(1)).min(1).max(200).optional(),
        fields: z
          .array(
            z
              .object({ system: z.string().min(1), collection: z.string().min(1), field: z.string().min(1) })
              .strict(),
          )
          .min(1)
          .max(500)
          .optional()
          .describe(
            "Erasure only: mask just these fields of the subject's rows (e.g. data processed only under a withdrawn consent); no row is deleted.",
          ),
      })
      .strict()
      .optional()
      .describe('Limit the request to some systems of the data map (and an erasure to some fields).'),
    identityVerified: z
      .boolean()
      .optional()
      .describe('Agents only: the identity was verified by the agent; no code is sent.'),
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('Agents only: when the request arrived, if by another channel earlier.'),
    onDuplicate: z
      .enum(['reject', 'link'])
      .optional()
      .describe(
        'Agents only: "link" records a duplicate linked to the open request instead of refusing it with 409.',
      ),
  })
  .strict()
  .meta({
    examples: [
      { type: 'access', identities: { email: 'jane.doe@example.com' } },
      {
        type: 'erasure',
        identities: { email: 'jane.doe@example.com', customer_id: 'C-1042' },
        identityVerified: true,
        onDuplicate: 'link',
      },
      { type: 'delete', regime: 'ccpa', identities: { email: 'sam@example.com' } },
    ],
  });

export const requestIdParams = z.object({ id: z.string().min(1).max(64) });

export const listRequestsQuery = z
  .object({
    state: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',') : undefined))
      .pipe(z.array(z.enum(REQUEST_STATES)).optional())
      .describe('Comma-separated states.'),
    type: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',') : undefined))
      .pipe(z.array(z.enum(REQUEST_TYPES)).optional())
      .describe('Comma-separated types.'),
    regime: z.enum(REGIMES).optional(),
    overdue: z.enum(['true', 'false']).optional().describe('true: open requests past their deadline.'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const verifyBody = z
  .object({ code: z.string().min(4).max(20).describe('The one-time code from the email.') })
  .strict();
export const approveBody = z.object({ note: z.string().max(2000).optional() }).strict();
export const denyBody = z
  .object({ reason: z.string().min(3).max(2000).describe('Told to the requester (GDPR Art. 12(4)).') })
  .strict();
export const extendBody = z
  .object({
    reason: z
      .string()
      .min(3)
      .max(2000)
      .describe('Why more time is needed; told to the requester (GDPR Art. 12(3)).'),
    months: z
      .number()
      .int()
      .min(1)
      .max(2)
      .optional()
      .describe(
        'GDPR only: further months (1 or 2, at most 2 in total). CCPA extensions are always 45 days.',
      ),
  })
  .strict();
export const cancelBody = z.object({ reason: z.string().max(2000).optional() }).strict();
export const downloadQuery = z.object({ token: z.string().min(1).max(200) }).strict();

const timestamp = z.string().describe('ISO 8601 timestamp');

/** What the privacy center sees after submitting: nothing it did not send. */
export const publicRequestView = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  regime: z.enum(REGIMES),
  state: z.enum(REQUEST_STATES),
  receivedAt: timestamp,
  dueAt: timestamp,
});

export const requestSummary = publicRequestView.extend({
  regimeType: z.string(),
  source: z.enum(['privacy_center', 'agent']),
  scope: z
    .object({
      systems: z.array(z.string()).optional(),
      fields: z.array(z.object({ system: z.string(), collection: z.string(), field: z.string() })).optional(),
    })
    .nullable(),
  approvalRequired: z.boolean(),
  verifiedBy: z.enum(['code', 'agent']).nullable(),
  duplicateOf: z.string().nullable(),
  originalDueAt: timestamp,
  confirmationDueAt: timestamp.nullable(),
  acknowledgedAt: timestamp.nullable(),
  overdue: z.boolean(),
  extension: z
    .object({ amount: z.number(), unit: z.enum(['months', 'days']), reason: z.string().nullable() })
    .nullable(),
  closedAt: timestamp.nullable(),
  outcomeReason: z
    .string()
    .nullable()
    .describe('Why the request was denied, failed or only partially completed.'),
  result: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('Per system and collection: rows deleted, fields masked, rows kept and why; access summary.'),
  personalDataMinimisedAt: timestamp.nullable(),
});

export const requestListResponse = z.object({
  items: z.array(requestSummary),
  nextCursor: z.string().nullable(),
});

export const requestDetailResponse = requestSummary.extend({
  identities: z.array(z.object({ name: z.string(), value: z.string().nullable() })),
  corrections: z.array(z.unknown()).nullable(),
  history: z.array(
    z.object({
      event: z.string(),
      from: z.enum(REQUEST_STATES).nullable(),
      to: z.enum(REQUEST_STATES),
      actor: z.object({ kind: z.string(), id: z.string() }),
      reason: z.string().nullable(),
      at: timestamp,
    }),
  ),
  steps: z.array(
    z.object({
      step: z.string(),
      kind: z.string(),
      system: z.string().nullable(),
      status: z.enum(STEP_STATUSES),
      attempts: z.number(),
      startedAt: timestamp.nullable(),
      finishedAt: timestamp.nullable(),
      error: z.string().nullable(),
      result: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  package: z
    .object({
      sizeBytes: z.number(),
      collections: z.number(),
      rows: z.number(),
      createdAt: timestamp,
      expiresAt: timestamp,
      deletedAt: timestamp.nullable(),
    })
    .nullable(),
});

export const verificationCodeResponse = z.object({
  status: z.literal('sending'),
  retryAfterSeconds: z.number(),
});
export const downloadLinkResponse = z.object({ url: z.string(), expiresAt: timestamp });
