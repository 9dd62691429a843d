import { z } from 'zod';
import {
  privacyCenterActionSchema,
  privacyCenterSchema,
  localizedTextSchema,
} from '../core/privacy-center-config.ts';
import { noticeSchema, historySchema } from '../../consent/api.ts';
import { REQUEST_STATES, REQUEST_TYPES, REGIMES } from '../../dsr/api.ts';

/** zod schemas of the privacy center's and the console's own routes: validation, types and OpenAPI. */

export const privacyCenterConfigResponse = privacyCenterSchema.omit({ actions: true }).extend({
  tenant: z.string(),
  actions: z.array(privacyCenterActionSchema),
  /** Identity names the tenant's data map knows, for the form's optional fields. */
  identities: z.array(z.string()),
  /** Whether any notice exists to manage in the consent page. */
  consentNotices: z.number().int(),
});

export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const publicRequestStatus = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  regime: z.enum(REGIMES),
  state: z.enum(REQUEST_STATES),
  receivedAt: z.string(),
  dueAt: z.string(),
});

export const requestIdParams = z.object({ id: z.string().min(1).max(64) });

export const subjectCodeBody = z
  .object({
    email: z
      .string()
      .min(3)
      .max(320)
      .describe('The address the code is mailed to; it becomes the consent subject.'),
  })
  .strict();
export const subjectCodeResponse = z.object({
  challengeId: z.string(),
  expiresAt: z.string(),
});
export const subjectSessionBody = z
  .object({
    challengeId: z.string().min(1).max(64),
    email: z.string().min(3).max(320),
    code: z.string().min(4).max(20).describe('The one-time code from the email.'),
  })
  .strict();
export const subjectSessionResponse = z.object({ subject: z.string(), expiresAt: z.string() });

const noticeChoice = noticeSchema
  .pick({
    key: true,
    purpose: true,
    version: true,
    title: true,
    text: true,
    legalBasis: true,
    mechanism: true,
  })
  .extend({
    status: z.enum(['given', 'withdrawn', 'expired', 'not_set']),
    since: z.string().nullable(),
    expiresAt: z.string().nullable(),
  });

export const subjectConsentResponse = z.object({
  subject: z.string(),
  notices: z.array(noticeChoice),
  history: historySchema.shape.entries,
  gpc: z.object({
    signal: z.boolean().describe('The browser sent Sec-GPC: 1.'),
    optedOut: z
      .boolean()
      .describe('The subject is opted out of the sale and sharing of their personal information.'),
    recordedNow: z.boolean().describe('This request recorded the opt-out the signal asks for.'),
  }),
});

export const subjectConsentChangeBody = z
  .object({
    changes: z
      .array(z.object({ notice: z.string().min(1).max(64), action: z.enum(['given', 'withdrawn']) }).strict())
      .min(1)
      .max(50),
  })
  .strict();

const holdView = z.object({
  field: z.string().optional(),
  ground: z.string(),
  article: z.string(),
  period: z.string().optional(),
  anchor: z.string().optional(),
  reason: z.string(),
});

export const planDiffResponse = z.object({
  kind: z.enum(['access', 'erasure', 'rectification']),
  identities: z.array(z.object({ name: z.string(), values: z.number().int() })),
  systems: z.array(
    z.object({
      system: z.string(),
      kind: z.string(),
      collections: z.array(
        z.object({
          collection: z.string(),
          reachedBy: z.array(z.string()),
          depth: z.number().int(),
          estimatedRows: z.number().int().optional(),
          change: z.enum(['read', 'delete', 'mask', 'keep', 'update', 'none']),
          fields: z.array(
            z.object({
              field: z.string(),
              change: z.enum(['read', 'mask', 'keep', 'set']),
              detail: z.string().optional(),
            }),
          ),
          holds: z.array(holdView),
          removedByCascade: z.string().optional(),
          note: z.string().optional(),
        }),
      ),
    }),
  ),
  unreached: z.array(z.object({ system: z.string(), collection: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
  errors: z.array(z.string()),
  estimateErrors: z.array(z.object({ system: z.string(), message: z.string() })),
});

export const planQuery = z
  .object({
    estimate: z
      .enum(['true', 'false'])
      .default('false')
      .describe("true: count the subject's rows on the live systems."),
  })
  .strict();

export const requestSearchQuery = z
  .object({
    identity: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .describe('An identity name: email, phone, user_id or one of the data map.'),
    value: z.string().min(1).max(320),
  })
  .strict();

const count = z.number().int();
export const dashboardResponse = z.object({
  generatedAt: z.string(),
  requests: z
    .object({
      open: count,
      overdue: count,
      dueThisWeek: count,
      awaitingApproval: count,
      awaitingVerification: count,
      inProgress: count,
      closedLast30Days: count,
    })
    .optional(),
  consent: z
    .object({
      days: count,
      purposes: z.array(
        z.object({
          purpose: z.string(),
          given: count,
          withdrawn: count,
          expired: count,
          daily: z.array(z.object({ day: z.string(), given: count, withdrawn: count })),
        }),
      ),
    })
    .optional(),
  retention: z
    .object({
      rowsSweptLast30Days: count,
      runs: z.array(
        z.object({
          id: z.string(),
          state: z.string(),
          dryRun: z.boolean(),
          trigger: z.string(),
          rowsDone: count,
          rowsEstimated: count,
          createdAt: z.string(),
          finishedAt: z.string().nullable(),
        }),
      ),
    })
    .optional(),
  audit: z
    .object({
      entries: count,
      pending: count,
      lastCheckpoint: z.object({ treeSize: count, createdAt: z.string(), ageSeconds: count }).nullable(),
    })
    .optional(),
  events: z.object({ pending: count, deadLetters: count, lagSeconds: count }).optional(),
});
