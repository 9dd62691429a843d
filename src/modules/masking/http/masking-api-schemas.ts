import { z } from 'zod';
import { RULE_SOURCES } from '../core/rule-source.ts';
import { TRANSFORMER_NAMES } from '../core/transformer.ts';

const transformer = z.enum(TRANSFORMER_NAMES);
const profile = z.object({
  rows: z.number(),
  nulls: z.number(),
  nullFraction: z.number(),
  distinct: z.number(),
  distinctExact: z.boolean(),
  length: z.object({ min: z.number(), p50: z.number(), p90: z.number(), max: z.number(), mean: z.number() }),
});
const problem = z.object({ table: z.string(), column: z.string().optional(), message: z.string() });

export const maskingRunIdParams = z.object({ id: z.string().uuid() });
export const listMaskingRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });

export const maskingRequestBody = z
  .object({
    sourceSystem: z.string().min(1).describe('A postgres or mysql system of the data map.'),
    keyReference: z
      .string()
      .regex(/^(env|file|secret):.+/)
      .default('secret:masking-key')
      .describe('The masking key: a Steward secret (or env:/file: reference) of at least 16 bytes.'),
    overrides: z
      .array(
        z
          .object({
            table: z.string().min(1),
            column: z.string().min(1),
            transformer,
            params: z
              .object({
                paths: z.record(z.string(), transformer).optional(),
                noisePercent: z.number().min(0).max(100).optional(),
                step: z.number().positive().optional(),
                maxDays: z.number().int().positive().optional(),
              })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .default([])
      .describe('Per-field rules that replace what the data map categories imply.'),
    subset: z
      .object({
        where: z.array(z.object({ table: z.string().min(1), condition: z.string() }).strict()).default([]),
        percent: z.number().gt(0).max(100).optional(),
      })
      .strict()
      .optional(),
    locale: z.string().min(2).max(20).default('en'),
    defaultCountry: z.string().length(2).toUpperCase().default('US'),
    concurrency: z.number().int().min(1).max(16).default(2),
    schemas: z.array(z.string().min(1)).min(1).default(['public']),
  })
  .strict();

export const createMaskingRunBody = maskingRequestBody.extend({
  target: z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('database'),
        url: z
          .string()
          .min(1)
          .describe('An empty database of the source’s kind: URL without password, or a secret reference.'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('dump'),
        path: z.string().min(1).describe('A file on the worker’s disk for a pg_dump-compatible SQL dump.'),
      })
      .strict(),
  ]),
});

export const maskingPlan = z.object({
  tables: z.array(
    z.object({
      table: z.string(),
      rows: z.number(),
      exact: z.boolean(),
      columns: z.array(
        z.object({
          column: z.string(),
          transformer: z.string(),
          source: z
            .enum(RULE_SOURCES)
            .describe('What decided the rule: the data map, an override, a key, the type.'),
          reason: z.string(),
        }),
      ),
    }),
  ),
  totalRows: z.number(),
  subset: z.boolean(),
  warnings: z.array(problem),
  droppedFreeText: z.array(z.string()),
});

export const maskingReport = z.object({
  runId: z.string(),
  sourceSystem: z.string(),
  target: z.object({ kind: z.enum(['database', 'dump']) }),
  state: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  phase: z.enum(['schema', 'data', 'constraints', 'verify', 'done']),
  plan: maskingPlan.optional(),
  tables: z.array(
    z.object({
      table: z.string(),
      state: z.enum(['pending', 'copying', 'done']),
      rowsCopied: z.number(),
      transformers: z.array(z.string()),
    }),
  ),
  rowsCopied: z.number(),
  constraintsApplied: z.number(),
  cardinality: z
    .object({
      tolerance: z.object({ distinct: z.number(), nullFraction: z.number(), meanLength: z.number() }),
      rows: z.array(
        z.object({
          table: z.string(),
          column: z.string(),
          transformer: z.string(),
          source: profile,
          copy: profile,
          withinTolerance: z.boolean(),
          drift: z.array(z.string()),
        }),
      ),
      outside: z.number(),
    })
    .optional(),
  leakCheck: z
    .object({
      passed: z.boolean(),
      sampledValues: z.number(),
      checkedCells: z.number(),
      findings: z.array(
        z.object({
          table: z.string(),
          column: z.string(),
          mode: z.enum(['anywhere', 'row', 'contains']),
          matches: z.number(),
        }),
      ),
    })
    .optional(),
  error: z.string().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

export const maskingRunList = z.object({ items: z.array(maskingReport) });
