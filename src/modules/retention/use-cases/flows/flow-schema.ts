import { Cron } from 'croner';
import { z } from 'zod';

/**
 * The privacy-flow YAML format (one flow per file in `retention.flowsPath`): what runs, when, over
 * which systems, and what happens when a task fails. Flows name systems, collections and rules of
 * the data map; they never contain SQL, and no value in them is ever written into a statement.
 * `npm run schemas` writes the JSON Schema (schemas/flow.schema.json).
 */

const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const idSchema = z
  .string()
  .regex(ID, 'must start with a letter or _ and contain only letters, digits, _ and -');

const cronSchema = z
  .string()
  .min(1)
  .refine(
    (expression) => validCron(expression),
    'must be a cron expression such as "0 3 * * *" (minute hour day month weekday)',
  )
  .describe('Cron expression (5 fields, or 6 with seconds), e.g. "0 3 * * *" for 03:00 every day.');

const timezoneSchema = z
  .string()
  .refine((zone) => validTimezone(zone), 'must be an IANA time zone such as Europe/Berlin or UTC')
  .default('UTC')
  .describe('IANA time zone the cron expression is read in; DST changes are followed.');

export const scheduleTriggerSchema = z
  .object({
    type: z.literal('schedule').default('schedule'),
    cron: cronSchema,
    timezone: timezoneSchema,
    catchUp: z
      .boolean()
      .default(false)
      .describe(
        'After downtime, run the fire times that were missed (up to maxCatchUp, oldest first). When false they are skipped and the next fire time runs.',
      ),
    maxCatchUp: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe('Most missed fire times run after one downtime.'),
  })
  .strict();

const onFailureSchema = z
  .enum(['stop', 'continue', 'notify'])
  .default('stop')
  .describe(
    'When the task fails: stop the flow (later tasks are skipped), continue with the next task, or notify (publish retention.flow.task_failed to webhooks) and continue.',
  );

const taskBase = { id: idSchema, description: z.string().optional(), onFailure: onFailureSchema };

const sweepTaskSchema = z
  .object({
    ...taskBase,
    type: z.literal('retention.sweep'),
    systems: z
      .union([z.literal('*'), z.array(idSchema).min(1)])
      .default('*')
      .describe(
        'Systems whose collections with a retention rule are swept; "*" for every system of the namespace.',
      ),
    collections: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*\.[^.]+$/, 'must be system.collection'))
      .optional()
      .describe('Only these rules (system.collection); default: every rule of the systems.'),
    concurrency: z.number().int().min(1).max(16).default(1).describe('Systems swept at the same time.'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .optional()
      .describe('Rows per batch (default: retention.sweep.batchSize).'),
    pauseMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .optional()
      .describe('Pause between batches (default: retention.sweep.pauseMs).'),
  })
  .strict();

const purgeTaskSchema = z
  .object({
    ...taskBase,
    type: z.literal('steward.purge').describe("Purge Steward's own expired data (retention.stewardData)."),
  })
  .strict();

const reportTaskSchema = z
  .object({
    ...taskBase,
    type: z
      .literal('retention.report')
      .describe('Compute the compliance report and keep its summary in the run.'),
  })
  .strict();

const notifyTaskSchema = z
  .object({
    ...taskBase,
    type: z.literal('notify'),
    message: z.string().min(1).max(2000).describe('Text sent with the event (plain text, no placeholders).'),
    when: z
      .enum(['always', 'success', 'failure'])
      .default('always')
      .describe('Send only when the tasks before it all succeeded, or when one failed.'),
  })
  .strict()
  .describe(
    'Publishes retention.flow.notification through the event outbox to subscribed webhooks and NATS.',
  );

export const flowTaskSchema = z.discriminatedUnion('type', [
  sweepTaskSchema,
  purgeTaskSchema,
  reportTaskSchema,
  notifyTaskSchema,
]);

/** One flow file. */
export const flowSchema = z
  .object({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique within its namespace; `steward flows run <id>`.'),
    namespace: idSchema.default('default').describe('The tenant whose data map the flow works on.'),
    description: z.string().optional(),
    disabled: z
      .boolean()
      .default(false)
      .describe('A disabled flow is listed and validated but never scheduled.'),
    triggers: z
      .array(scheduleTriggerSchema)
      .default([])
      .describe('When the flow runs by itself; without triggers it runs only when asked.'),
    tasks: z
      .array(flowTaskSchema)
      .min(1, 'a flow needs at least one task')
      .refine(
        (tasks) => new Set(tasks.map((t) => t.id)).size === tasks.length,
        'task ids must be unique within the flow',
      ),
  })
  .strict();

export type Flow = z.infer<typeof flowSchema>;
export type FlowTask = z.infer<typeof flowTaskSchema>;
export type ScheduleTrigger = z.infer<typeof scheduleTriggerSchema>;
export type SweepTask = z.infer<typeof sweepTaskSchema>;

function validCron(expression: string): boolean {
  try {
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
