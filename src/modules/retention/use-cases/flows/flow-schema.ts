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

/** Kestra's name of its schedule trigger type, accepted as a synonym of `schedule`. */
export const KESTRA_SCHEDULE_TYPE = 'io.kestra.plugin.core.trigger.Schedule';

export const scheduleTriggerSchema = z
  .object({
    id: idSchema.optional().describe('Names the trigger (as in Kestra); default: schedule, schedule-2, …'),
    type: z
      .enum(['schedule', KESTRA_SCHEDULE_TYPE])
      .default('schedule')
      .describe(`schedule, or Kestra's ${KESTRA_SCHEDULE_TYPE} (the same).`),
    cron: cronSchema,
    timezone: timezoneSchema,
    recoverMissedSchedules: z
      .enum(['ALL', 'LAST', 'NONE'])
      .optional()
      .describe(
        "After downtime (Kestra's name): ALL runs the missed fire times (up to maxCatchUp, oldest first), LAST only the latest, NONE skips them and waits for the next fire time (the default here; Kestra's is ALL).",
      ),
    catchUp: z
      .boolean()
      .optional()
      .describe('Deprecated, use recoverMissedSchedules: true is ALL, false is NONE.'),
    maxCatchUp: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe('Most missed fire times run after one downtime (recoverMissedSchedules: ALL).'),
  })
  .strict();

const onFailureSchema = z
  .enum(['stop', 'continue', 'notify'])
  .optional()
  .describe(
    "Deprecated, use allowFailure (and the flow's errors tasks): stop is allowFailure: false, continue is allowFailure: true, notify is allowFailure: true and publishes retention.flow.task_failed.",
  );

const taskBase = {
  id: idSchema,
  description: z.string().optional(),
  allowFailure: z
    .boolean()
    .optional()
    .describe(
      "As in Kestra: when true a failure of this task does not stop the flow (the run still ends failed); default false: later tasks are skipped and the flow's errors tasks run.",
    ),
  onFailure: onFailureSchema,
};

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

/** One flow file: Kestra's shape (id, namespace, triggers with id/type, tasks, errors) with Steward's task types. */
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
    errors: z
      .array(flowTaskSchema)
      .default([])
      .describe(
        'As in Kestra: tasks that run only when the flow fails (a task failed), after the others — typically a notify task.',
      ),
  })
  .strict()
  .superRefine((flow, context) => {
    const taskIds = new Set(flow.tasks.map((t) => t.id));
    flow.errors.forEach((task, index) => {
      if (taskIds.has(task.id))
        context.addIssue({
          code: 'custom',
          path: ['errors', index, 'id'],
          message: `task id ${task.id} is used by a task of the flow already`,
        });
    });
    const triggerIds = flow.triggers.map((t, index) => triggerIdOf(t, index));
    if (new Set(triggerIds).size !== triggerIds.length)
      context.addIssue({
        code: 'custom',
        path: ['triggers'],
        message: 'trigger ids must be unique within the flow',
      });
    flow.triggers.forEach((trigger, index) => {
      if (trigger.catchUp !== undefined && trigger.recoverMissedSchedules !== undefined)
        context.addIssue({
          code: 'custom',
          path: ['triggers', index],
          message: 'give recoverMissedSchedules or the deprecated catchUp, not both',
        });
    });
    for (const [list, tasks] of [
      ['tasks', flow.tasks],
      ['errors', flow.errors],
    ] as const)
      tasks.forEach((task, index) => {
        if (task.allowFailure !== undefined && task.onFailure !== undefined)
          context.addIssue({
            code: 'custom',
            path: [list, index],
            message: 'give allowFailure or the deprecated onFailure, not both',
          });
      });
  })
  .transform((flow) => ({
    ...flow,
    triggers: flow.triggers.map(normaliseTrigger),
    tasks: flow.tasks.map(normaliseTask),
    errors: flow.errors.map(normaliseTask),
  }));

/** A trigger with both spellings resolved: Kestra's names, and what the scheduler reads. */
function normaliseTrigger(trigger: z.infer<typeof scheduleTriggerSchema>, index: number) {
  const recover = trigger.recoverMissedSchedules ?? (trigger.catchUp ? 'ALL' : 'NONE');
  return {
    id: triggerIdOf(trigger, index),
    type: 'schedule' as const,
    cron: trigger.cron,
    timezone: trigger.timezone,
    recoverMissedSchedules: recover,
    catchUp: recover !== 'NONE',
    maxCatchUp: recover === 'LAST' ? 1 : trigger.maxCatchUp,
  };
}

function triggerIdOf(trigger: { id?: string | undefined }, index: number): string {
  return trigger.id ?? (index === 0 ? 'schedule' : `schedule-${index + 1}`);
}

/** A task with allowFailure and the deprecated onFailure resolved into both. */
function normaliseTask<T extends z.infer<typeof flowTaskSchema>>(task: T) {
  const onFailure = task.onFailure ?? (task.allowFailure ? 'continue' : 'stop');
  return { ...task, onFailure, allowFailure: onFailure !== 'stop' };
}

export type Flow = z.output<typeof flowSchema>;
export type FlowTask = Flow['tasks'][number];
export type ScheduleTrigger = Flow['triggers'][number];
export type SweepTask = Extract<FlowTask, { type: 'retention.sweep' }>;

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
