import { z } from 'zod';

const evidence = z
  .record(z.string(), z.unknown())
  .describe('A signal and its counts: name token, validator matches, neighbours. Never a value.');

export const runIdParams = z.object({ id: z.string().min(1).max(100) });
export const systemParams = z.object({ system: z.string().min(1).max(200) });

export const listRunsQuery = z.object({
  system: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const createRunBody = z
  .object({
    system: z.string().min(1).describe('System id from the data map (a database or a log directory).'),
    sampleSize: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe('Rows sampled per table; default discovery.sampleSize.'),
  })
  .strict();

const summary = z.object({
  collections: z.number(),
  columns: z.number(),
  personalColumns: z.number(),
  findings: z.record(z.string(), z.number()),
});

export const storedRun = z.object({
  id: z.string(),
  system: z.string(),
  trigger: z.enum(['cli', 'api', 'schedule']),
  sampleSize: z.number(),
  startedAt: z.string(),
  durationMs: z.number(),
  summary,
});

export const runList = z.object({ items: z.array(storedRun) });

export const runDetail = storedRun.extend({
  columns: z.array(
    z.object({
      collection: z.string(),
      field: z.string(),
      categories: z.array(z.string()),
      confidence: z.number(),
      evidence: z.array(evidence),
      sampled: z.number(),
    }),
  ),
});

const finding = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  system: z.string(),
  collection: z.string(),
  field: z.string().optional(),
  categories: z.array(z.string()),
  confidence: z.number(),
  message: z.string(),
});

const column = z.object({ collection: z.string(), field: z.string(), categories: z.array(z.string()) });

/** A signal that fired and its counts, as `discovery-types.ts` declares it. Never a value. */
const signal = z.discriminatedUnion('signal', [
  z.object({ signal: z.literal('name'), token: z.string(), weight: z.number() }),
  z.object({ signal: z.literal('values'), validator: z.string(), matched: z.number(), sampled: z.number() }),
  z.object({ signal: z.literal('text'), detector: z.string(), matched: z.number(), sampled: z.number() }),
  z.object({ signal: z.literal('neighbours'), columns: z.array(z.string()) }),
  z.object({ signal: z.literal('type'), family: z.string() }),
]);

/** What sampling found, collection by collection (what `steward discover` prints). */
const discoveryResult = z.object({
  system: z.string(),
  kind: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  sampleSize: z.number(),
  collections: z.array(
    z.object({
      name: z.string(),
      schema: z.string().optional(),
      primaryKey: z.array(z.string()),
      sampledRows: z.number(),
      strategy: z.string(),
      columns: z.array(
        z.object({
          field: z.string(),
          path: z.string().optional(),
          type: z.string(),
          categories: z.array(z.string()),
          confidence: z.number(),
          evidence: z.array(signal),
          sampled: z.number(),
        }),
      ),
      files: z.object({ glob: z.string(), format: z.enum(['jsonl', 'text']) }).optional(),
    }),
  ),
});

export const runOutcome = z.object({
  result: discoveryResult,
  run: storedRun,
  findings: z.array(finding),
  comparison: z.object({
    previousRunId: z.string().nullable(),
    appeared: z.array(column),
    disappeared: z.array(column),
    changed: z.array(
      z.object({
        collection: z.string(),
        field: z.string(),
        before: z.array(z.string()),
        after: z.array(z.string()),
      }),
    ),
  }),
});

export const proposedDiff = z.object({
  findings: z.array(finding),
  patches: z.array(
    z.object({
      path: z.string().describe('Data-map file, relative to the working directory.'),
      diff: z.string().describe('Unified diff; applies with git apply.'),
    }),
  ),
});
