import { z } from 'zod';
import { SCREENING_CRITERIA } from '../core/dpia-screening.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const instant = z.iso
  .datetime({ offset: true })
  .describe('ISO 8601 instant with offset, e.g. 2026-03-27T10:00:00+01:00');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US');
const rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const criterion = z.enum(SCREENING_CRITERIA.map((c) => c.criterion) as [string, ...string[]]);

// ---------------------------------------------------------------- record of processing

export const exportQuery = z.object({ format: z.enum(['json', 'csv', 'html', 'pdf']).default('json') });
export const ropaFieldParams = z.object({
  entryId: z
    .string()
    .min(1)
    .describe('`*` for every entry, or an entry id such as controller:essential.service'),
  field: z.string().min(1),
});
export const ropaFieldBody = z
  .object({ lines: z.array(z.string().max(2000)).max(100).describe('Empty removes the hand-written text.') })
  .strict();
export const diffQuery = z.object({ from: z.string().optional(), to: z.string().optional() });

const provenance = z.union([
  z.object({ kind: z.literal('generated'), from: z.array(z.string()) }),
  z.object({ kind: z.literal('manual'), by: z.string(), at: z.string() }),
  z.object({ kind: z.literal('missing') }),
]);
export const recordOfProcessing = z.object({
  tenantId: z.string(),
  generatedAt: z.string(),
  sources: z.array(z.string()),
  entries: z.array(
    z.object({
      id: z.string(),
      role: z.enum(['controller', 'processor']),
      name: z.string(),
      systems: z.array(z.string()),
      fields: z.array(
        z.object({
          key: z.string(),
          article: z.string(),
          label: z.string(),
          lines: z.array(z.string()),
          provenance,
          generated: z.array(z.string()).optional(),
        }),
      ),
    }),
  ),
});
export const generationList = z.object({
  items: z.array(z.object({ id: z.string(), generatedAt: z.string(), digest: z.string() })),
});
export const ropaDiff = z.object({
  from: z.string(),
  to: z.string(),
  addedEntries: z.array(z.string()),
  removedEntries: z.array(z.string()),
  changes: z.array(
    z.object({
      entryId: z.string(),
      field: z.string(),
      article: z.string(),
      added: z.array(z.string()),
      removed: z.array(z.string()),
      underManualText: z.boolean(),
    }),
  ),
});

// ---------------------------------------------------------------- processors and transfers

export const mechanismSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('scc'),
      module: z
        .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
        .describe('Decision (EU) 2021/914: 1 C2C, 2 C2P, 3 P2P, 4 P2C'),
      signedOn: isoDate,
    })
    .strict(),
  z.object({ kind: z.literal('bcr'), reference: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('derogation'),
      point: z.enum(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'second_subparagraph']).describe('GDPR Art. 49(1)'),
      justification: z.string().min(3),
    })
    .strict(),
]);
export const processorBody = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .describe('As the data map names the recipient (compared case-insensitively).'),
    role: z.enum(['processor', 'controller']),
    contact: z.string().max(300).optional().describe('A role address, not a person’s private one.'),
    countries: z.array(country).default([]),
    categories: z.array(z.string()).default([]),
    systems: z.array(z.string()).default([]).describe('Data-map systems it operates for us.'),
    dpa: z
      .object({ signedOn: isoDate, reference: z.string().optional() })
      .strict()
      .optional()
      .describe('GDPR Art. 28(3) agreement.'),
    subProcessors: z
      .array(z.object({ name: z.string().min(1), country, service: z.string().optional() }).strict())
      .default([]),
    dpfCertified: z
      .boolean()
      .default(false)
      .describe('On the EU–US Data Privacy Framework List (Decision (EU) 2023/1795).'),
    mechanism: mechanismSchema.optional(),
    tia: z
      .object({
        assessedOn: isoDate,
        outcome: z.enum(['no_supplementary_measures_needed', 'supplementary_measures', 'transfer_suspended']),
        measures: z.array(z.string()).default([]),
        reference: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export const processorIdParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'lowercase letters, digits and -'),
});
export const processorView = processorBody.extend({ id: z.string() });
export const processorList = z.object({ items: z.array(processorView) });
export const transferReport = z.object({
  at: z.string(),
  adequacyListCompiledOn: z.string(),
  flows: z.array(
    z.object({
      system: z.string(),
      country: z.string(),
      recipient: z.string().optional(),
      route: z.enum(['hosting', 'declared_transfer', 'recipient', 'processor', 'sub_processor']),
      categories: z.array(z.string()),
      bases: z.array(z.object({ kind: z.enum(['adequacy', 'scc', 'bcr', 'derogation']) }).loose()),
      grounds: z.array(z.string()),
      lawful: z.boolean(),
      warnings: z.array(z.string()),
      tia: z
        .object({
          assessedOn: z.string(),
          outcome: z.string(),
          measures: z.array(z.string()),
          reference: z.string().optional(),
        })
        .optional(),
      declaredAt: z.string(),
    }),
  ),
});

// ---------------------------------------------------------------- screenings and DPIAs

export const screeningParams = z.object({ activityId: z.string().min(1) });
export const screeningBody = z
  .object({
    answers: z
      .array(z.object({ criterion, met: z.boolean(), reason: z.string().min(3).max(1000) }).strict())
      .min(1),
  })
  .strict();
export const screeningView = z.object({
  activityId: z.string(),
  criteria: z.array(
    z.object({
      criterion: z.string(),
      title: z.string(),
      met: z.boolean(),
      reason: z.string(),
      source: z.string(),
    }),
  ),
  metCount: z.number(),
  dpiaRequired: z.boolean(),
  reasons: z.array(z.string()),
  reopenedBy: z.array(z.string()),
});
export const screeningList = z.object({ items: z.array(screeningView.extend({ hasDpia: z.boolean() })) });

export const dpiaContentSchema = z
  .object({
    title: z.string().min(1).max(300),
    description: z.string().max(20_000).describe('Art. 35(7)(a)'),
    necessity: z.string().max(20_000).describe('Art. 35(7)(b)'),
    risks: z
      .array(
        z
          .object({
            id: z.string().min(1).max(50),
            description: z.string().min(1),
            likelihood: rating,
            severity: rating,
          })
          .strict(),
      )
      .default([]),
    measures: z
      .array(
        z
          .object({
            riskId: z.string(),
            measure: z.string().min(1),
            residualLikelihood: rating,
            residualSeverity: rating,
          })
          .strict(),
      )
      .default([]),
    dpoAdvice: z
      .object({ advice: z.string().min(1), followed: z.boolean(), reasonIfOverruled: z.string().optional() })
      .strict()
      .optional(),
    signOff: z
      .object({ by: z.string().min(1), at: isoDate })
      .strict()
      .optional(),
    reviewDate: isoDate.describe('Art. 35(11)'),
  })
  .strict();
export const createDpiaBody = z
  .object({ activityId: z.string().min(1), content: dpiaContentSchema })
  .strict();
export const reviseDpiaBody = z.object({ content: dpiaContentSchema }).strict();
export const dpiaParams = z.object({ id: z.string().uuid() });
export const dpiaQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
export const dpiaView = z.object({
  id: z.string(),
  activityId: z.string(),
  current: z.object({
    dpiaId: z.string(),
    version: z.number(),
    activityId: z.string(),
    content: dpiaContentSchema,
    createdBy: z.string(),
    createdAt: z.string(),
  }),
  evaluation: z.object({
    risks: z.array(
      z.object({
        id: z.string(),
        description: z.string(),
        inherent: z.string(),
        residual: z.string(),
        measures: z.array(z.string()),
      }),
    ),
    residualRisk: z.string(),
    priorConsultationRequired: z.boolean().describe('Art. 36(1)'),
    missing: z.array(z.string()),
    reviewOverdue: z.boolean(),
  }),
  versions: z.array(z.object({ version: z.number(), createdBy: z.string(), createdAt: z.string() })),
});
export const dpiaList = z.object({
  items: z.array(
    z.object({ id: z.string(), activityId: z.string(), currentVersion: z.number(), createdAt: z.string() }),
  ),
});

// ---------------------------------------------------------------- breaches

const nature = z
  .object({ confidentiality: z.boolean(), integrity: z.boolean(), availability: z.boolean() })
  .strict();
const affected = z.array(
  z
    .object({
      system: z.string().min(1),
      collection: z.string().min(1),
      window: z
        .object({ field: z.string().min(1), from: instant.optional(), to: instant.optional() })
        .strict()
        .optional(),
    })
    .strict(),
);
export const createBreachBody = z
  .object({
    title: z.string().min(3).max(300),
    description: z.string().min(3).max(20_000).describe('What happened. No personal data.'),
    nature,
    awareAt: instant.describe(
      'When the controller became aware: the 72-hour clock starts here (Art. 33(1)).',
    ),
    occurredAt: instant.optional(),
    detectedAt: instant.optional(),
    affected: affected.min(1),
    likelyConsequences: z.string().max(20_000).optional(),
    measures: z.string().max(20_000).optional(),
    contact: z.string().min(3).max(300).describe('Art. 33(3)(b): DPO or contact point.'),
  })
  .strict();
export const updateBreachBody = z
  .object({
    title: z.string().min(3).max(300).optional(),
    description: z.string().min(3).max(20_000).optional(),
    nature: nature.optional(),
    occurredAt: instant.optional(),
    affected: affected.min(1).optional(),
    likelyConsequences: z.string().max(20_000).optional(),
    measures: z.string().max(20_000).optional(),
    contact: z.string().min(3).max(300).optional(),
    delayReason: z
      .string()
      .min(3)
      .max(20_000)
      .optional()
      .describe('Art. 33(1): why the authority was not notified within 72 hours.'),
  })
  .strict();
export const assessBreachBody = z
  .object({
    likelihood: rating,
    severity: rating,
    exceptions: z
      .object({
        unintelligible: z.string().min(3).optional().describe('Art. 34(3)(a)'),
        riskNoLongerLikely: z.string().min(3).optional().describe('Art. 34(3)(b)'),
        disproportionateEffort: z
          .object({ publicCommunication: z.string().min(3) })
          .strict()
          .optional()
          .describe('Art. 34(3)(c)'),
      })
      .strict()
      .optional(),
  })
  .strict();
export const notificationBody = z
  .object({
    audience: z.enum(['authority', 'subjects', 'public']),
    phase: z.enum(['initial', 'follow_up', 'final']).describe('Art. 33(4): information in phases.'),
    sentAt: instant,
    reference: z.string().max(200).optional(),
    summary: z.string().min(1).max(2000),
  })
  .strict();
export const closeBreachBody = z
  .object({ note: z.string().max(2000).optional() })
  .strict()
  .default({});
export const breachParams = z.object({ id: z.string().uuid() });
export const noticeParams = z.object({ id: z.string().uuid(), audience: z.enum(['authority', 'subjects']) });
export const noticeQuery = z.object({ format: z.enum(['json', 'html', 'pdf']).default('json') });
export const breachListQuery = z.object({ state: z.enum(['open', 'closed']).optional() });
export const breachList = z.object({
  items: z.array(
    z.object({ id: z.string(), title: z.string(), state: z.enum(['open', 'closed']), awareAt: z.string() }),
  ),
});
const decision = z.object({
  level: z.enum(['no_risk', 'risk', 'high_risk']),
  score: z.number(),
  notifyAuthority: z.boolean(),
  authorityReason: z.string(),
  notifySubjects: z.boolean(),
  publicCommunication: z.boolean(),
  subjectsReason: z.string(),
  exception: z.enum(['a', 'b', 'c']).optional(),
});
const subjectCount = z.object({
  countedAt: z.string(),
  subjects: z.number(),
  records: z.number(),
  byCollection: z.array(
    z.object({
      system: z.string(),
      collection: z.string(),
      subjectKey: z.string().optional(),
      subjects: z.number().nullable(),
      records: z.number(),
      note: z.string().optional(),
    }),
  ),
});
export const breachView = z.object({
  id: z.string(),
  tenantId: z.string(),
  title: z.string(),
  description: z.string(),
  nature,
  occurredAt: z.string().optional(),
  detectedAt: z.string().optional(),
  awareAt: z.string(),
  affected,
  categories: z.array(z.string()),
  count: subjectCount.optional(),
  likelyConsequences: z.string(),
  measures: z.string(),
  contact: z.string(),
  risk: assessBreachBody.optional(),
  decision: decision.optional(),
  delayReason: z.string().optional(),
  notifications: z.array(notificationBody),
  timeline: z.array(
    z.object({ at: z.string(), kind: z.string(), note: z.string(), by: z.string().optional() }),
  ),
  remindersSent: z.array(z.number()),
  state: z.enum(['open', 'closed']),
  closedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  clock: z.object({
    state: z.enum(['running', 'overdue', 'met', 'late', 'not_required']),
    deadline: z.string(),
    deadlineLocal: z.string(),
    awareLocal: z.string(),
    timeZone: z.string(),
    hoursLeft: z.number().nullable(),
    delayReasonRequired: z.boolean(),
  }),
  missing: z.array(z.string()),
});

// ---------------------------------------------------------------- compliance check

export const checkQuery = z.object({ format: z.enum(['json', 'junit', 'sarif']).default('json') });
export const checkReport = z.object({
  checkedAt: z.string(),
  errors: z.number(),
  warnings: z.number(),
  findings: z.array(
    z.object({
      rule: z.string(),
      severity: z.enum(['error', 'warning']),
      article: z.string(),
      file: z.string(),
      line: z.number().optional(),
      path: z.string(),
      subject: z.string(),
      message: z.string(),
      fix: z.string(),
    }),
  ),
});
