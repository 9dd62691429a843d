import { z } from 'zod';
import { retentionRuleSchema } from '../../../platform/datamap/datamap-manifest-schema.ts';

const runState = z
  .enum(['awaiting_approval', 'queued', 'running', 'completed', 'failed', 'cancelled', 'rejected'])
  .describe(
    'awaiting_approval: more rows due than one person may remove (auth.separationOfDuties.retentionRunRowsAbove); someone else approves or rejects it.',
  );
const flowRunState = z.enum(['awaiting_approval', 'queued', 'running', 'completed', 'failed', 'cancelled']);
const runActor = z
  .object({ kind: z.enum(['user', 'api_key', 'system', 'anonymous']), id: z.string() })
  .describe('A user id, an API key id, or a system actor (`flow:<id>` for a schedule); never a name.');
const trigger = z.enum(['manual', 'schedule', 'catch_up', 'flow']);
const target = z.object({ system: z.string().min(1), collection: z.string().min(1) });

export const runIdParams = z.object({ id: z.string().min(1).max(100) });
export const ruleParams = z.object({ system: z.string().min(1), collection: z.string().min(1) });
export const flowIdParams = z.object({ id: z.string().min(1).max(100) });

export const listRunsQuery = z.object({
  state: runState.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional().describe('Cursor from the previous page (nextCursor).'),
});

export const createRunBody = z
  .object({
    targets: z
      .array(target)
      .min(1)
      .optional()
      .describe('Collections to sweep; default: every collection with a rule in `systems`.'),
    systems: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Systems whose rules are swept; default: all.'),
    dryRun: z.boolean().default(false).describe('Count and sample only; nothing changes.'),
    batchSize: z.number().int().min(1).max(50_000).optional(),
    pauseMs: z.number().int().min(0).max(60_000).optional(),
    concurrency: z.number().int().min(1).max(16).default(1).describe('Systems swept at once.'),
  })
  .strict()
  .meta({
    examples: [
      { dryRun: true },
      { systems: ['shop'], batchSize: 1000, pauseMs: 50 },
      { targets: [{ system: 'shop', collection: 'sessions' }] },
    ],
  });

export const dryRunBody = z
  .object({
    rule: retentionRuleSchema
      .optional()
      .describe("A rule to try before it is enabled; default: the collection's rule in the data map."),
  })
  .strict()
  .default({});

export const approveRunBody = z.object({}).strict().default({});

export const rejectRunBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(3)
      .max(1000)
      .describe('Why the run must not remove these rows; kept with the run and in the audit log.'),
  })
  .strict();

export const runFlowBody = z
  .object({ dryRun: z.boolean().default(false) })
  .strict()
  .default({ dryRun: false });

const collectionReport = z
  .object({
    system: z.string(),
    collection: z.string(),
    state: z.string(),
    rule: z.string(),
    action: z.enum(['delete', 'anonymise']),
    cutoff: z.string(),
    rowsSelected: z.number(),
    rowsDeleted: z.number(),
    rowsAnonymised: z.number(),
    rowsKept: z.number(),
    keptReasons: z.record(z.string(), z.number()),
    rowsCascaded: z.record(z.string(), z.number()),
    batches: z.number(),
    recoveredBatches: z.number(),
    durationMs: z.number(),
    errors: z.array(z.string()),
    rowsHeld: z.number().optional(),
    sample: z
      .array(z.array(z.unknown()))
      .optional()
      .describe('Dry runs: primary keys of the first due rows.'),
    notes: z.array(z.string()).optional(),
  })
  .describe('What happened to one collection. Counts and primary keys only.');

export const runReport = z.object({
  id: z.string(),
  tenantId: z.string(),
  flowRunId: z.string().nullable(),
  trigger,
  dryRun: z.boolean(),
  state: runState,
  referenceTime: z.string(),
  rowsEstimated: z.number(),
  rowsDone: z.number(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  cancelRequested: z.boolean(),
  error: z.string().nullable(),
  approval: z
    .object({
      rowsDue: z.number().describe('Rows due under the rules of the run when it was requested.'),
      rowsAbove: z
        .number()
        .describe('The threshold of the tenant then: more rows due than this need approval.'),
      requestedBy: runActor,
      decision: z
        .object({
          outcome: z.enum(['approved', 'rejected']),
          by: runActor,
          at: z.string(),
          reason: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable()
    .describe('Set when the run waited for a second person (four eyes).'),
  collections: z.array(collectionReport),
});

export const runList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      state: runState,
      trigger: z.string(),
      dryRun: z.boolean(),
      flowRunId: z.string().nullable(),
      rowsEstimated: z.number(),
      rowsDone: z.number(),
      createdAt: z.string(),
      finishedAt: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const dryRunResponse = z.object({
  system: z.string(),
  collection: z.string(),
  rule: z.string(),
  action: z.enum(['delete', 'anonymise']),
  cutoff: z.string(),
  rowsDue: z.number().describe('Rows a sweep would delete or anonymise now.'),
  rowsHeld: z.number().describe('Rows the rule selects that a legal hold keeps.'),
  rowsReferenced: z
    .number()
    .describe('Delete rules: due rows the sweep keeps because other rows still reference them.'),
  referencedReasons: z
    .record(z.string(), z.number())
    .describe("rowsReferenced by reason, in the sweep report's words."),
  rowsAlreadyDone: z.number().describe('Anonymise rules: rows an earlier run already anonymised.'),
  sampleKeys: z
    .array(z.array(z.unknown()))
    .describe('Primary keys of the first due rows; never other values.'),
  sampleWithheld: z.string().optional(),
  problems: z.array(z.string()),
  notes: z.array(z.string()),
});

export const complianceReport = z.object({
  tenantId: z.string(),
  generatedAt: z.string(),
  summary: z.object({
    collectionsWithPersonalData: z.number(),
    withRule: z.number(),
    withoutRule: z.number(),
    notScheduled: z.number(),
    rowsOverdue: z.number(),
  }),
  collections: z.array(
    z.object({
      system: z.string(),
      collection: z.string(),
      categories: z.array(z.string()),
      rule: z.string().nullable(),
      oldestRecord: z.object({ column: z.string(), at: z.string(), ageDays: z.number() }).nullable(),
      rowsOverdue: z.number().nullable(),
      nextRun: z.object({ flowId: z.string(), at: z.string() }).nullable(),
      flag: z.enum(['no_rule', 'not_scheduled', 'not_enforceable']).optional(),
      problems: z.array(z.string()),
    }),
  ),
});

export const flowList = z.object({
  flows: z.array(
    z.object({
      id: z.string(),
      namespace: z.string(),
      description: z.string().optional(),
      disabled: z.boolean(),
      source: z.string(),
      triggers: z.array(
        z.object({
          id: z.string(),
          cron: z.string(),
          timezone: z.string(),
          recoverMissedSchedules: z.enum(['ALL', 'LAST', 'NONE']),
          catchUp: z.boolean().describe('Deprecated: recoverMissedSchedules is not NONE.'),
          nextRun: z.string().nullable(),
        }),
      ),
      tasks: z.array(z.object({ id: z.string(), type: z.string() })),
      errors: z.array(z.object({ id: z.string(), type: z.string() })),
    }),
  ),
  problems: z.array(z.object({ file: z.string(), path: z.string(), message: z.string() })),
});

export const flowRunView = z.object({
  id: z.string(),
  tenantId: z.string(),
  flowId: z.string(),
  trigger,
  scheduledFor: z.string().nullable(),
  dryRun: z.boolean(),
  state: flowRunState,
  tasks: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      state: z.enum(['pending', 'running', 'awaiting_approval', 'done', 'failed', 'skipped']),
      runId: z.string().optional(),
      result: z.record(z.string(), z.unknown()).optional(),
      error: z.string().optional(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
    }),
  ),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
