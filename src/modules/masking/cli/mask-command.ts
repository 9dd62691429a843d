import { Command, Option } from 'commander';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import type { RemoteApi } from '../../../kernel/cli/remote-api.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { MASKING_QUEUES } from '../core/masking-queues.ts';
import type { MaskingReport, MaskingTarget } from '../core/masking-run-types.ts';
import { addJsonPathOption, parseRuleOption } from '../core/parse-rule-option.ts';
import { renderMaskingPlan, renderMaskingReport } from '../core/render-masking-report.ts';
import { parseSubsetWhere } from '../core/subset-plan.ts';
import { maskingDepsFrom, type MaskingServices } from '../masking-services.ts';
import {
  listMaskingRuns,
  readMaskingReport,
  reopenMaskingRun,
  requestMaskingCancel,
} from '../store/masking-run-store.ts';
import { executeMaskingRun, planMaskedCopy } from '../use-cases/masking-engine.ts';
import { requestMaskingRun, type MaskingRunRequest } from '../use-cases/request-masking-run.ts';

interface CopyOptions {
  from: string;
  to?: string;
  toDump?: string;
  key: string;
  where?: string[];
  percent?: string;
  rule?: string[];
  jsonPath?: string[];
  locale?: string;
  country?: string;
  concurrency?: string;
  schema?: string[];
  background?: boolean;
  tenant: string;
  demo?: boolean;
}

const tenantOption = () => new Option('--tenant <id>', 'tenant whose data map is used').default('default');
const demoOption = () =>
  new Option('--demo', 'include the demo shop (created on first use), to copy it with --from shop');

/** `steward mask …`: masked copies of a data-map system into an empty database or a pg_dump file. */
export function maskCommand(): Command {
  return new Command('mask')
    .description(
      'masked copies of a system for development and testing: copy, dump, plan, runs, show, resume, cancel',
    )
    .addCommand(
      copyOptions(
        new Command('copy').description(
          'copy a system into an empty database of its kind (--to) or a pg_dump-compatible file (--to-dump), masked',
        ),
      ).action(copyAction()),
    )
    .addCommand(
      planOptions(
        new Command('plan').description(
          'show what a copy would write (rows per table, subset size, each column’s transformer) without copying',
        ),
      ).action(planAction()),
    )
    .addCommand(
      new Command('runs')
        .description('recent masking runs')
        .addOption(tenantOption())
        .option('--limit <n>', 'how many', '20')
        .action(async (options: { tenant: string; limit: string }, command: Command) => {
          const context = cliContext(command);
          const limit = Number(options.limit);
          const remote = context.remote();
          const runs = remote
            ? (await remote.call(remote.client.GET('/v1/masking/runs', { params: { query: { limit } } })))
                .items
            : await withMaskingServices(context, {}, (services) =>
                listMaskingRuns(maskingDepsFrom(services).db, options.tenant, limit),
              );
          context.print(
            runs
              .map(
                (r) =>
                  `${r.runId}  ${r.state.padEnd(10)} ${r.phase.padEnd(12)} ${r.rowsCopied.toLocaleString('en-US').padStart(12)} rows  ${r.sourceSystem} → ${r.target.kind}  ${r.createdAt}`,
              )
              .join('\n') || 'No masking runs yet.',
            runs,
          );
        }),
    )
    .addCommand(
      new Command('show')
        .description('a run’s report: tables, cardinality, leak check')
        .argument('<run-id>')
        .addOption(tenantOption())
        .action(async (id: string, options: { tenant: string }, command: Command) => {
          const context = cliContext(command);
          const remote = context.remote();
          const report = remote
            ? await remote.call(remote.client.GET('/v1/masking/runs/{id}', { params: { path: { id } } }))
            : await withMaskingServices(context, {}, (services) =>
                readMaskingReport(maskingDepsFrom(services).db, options.tenant, id),
              );
          context.print(renderMaskingReport(report), report);
        }),
    )
    .addCommand(
      new Command('resume')
        .description(
          'finish a run that stopped (crash, cancel, Ctrl-C) in the foreground (where Steward runs: no remote mode)',
        )
        .argument('<run-id>')
        .addOption(tenantOption())
        .addOption(demoOption())
        .action(async (id: string, options: { tenant: string; demo?: boolean }, command: Command) => {
          const context = cliContext(command);
          await withMaskingServices(context, options, async (services) => {
            await reopenMaskingRun(maskingDepsFrom(services).db, options.tenant, id);
            printOutcome(context, await runInForeground(context, services, options.tenant, id));
          });
        }),
    )
    .addCommand(
      new Command('cancel')
        .description('stop a run after its current batch')
        .argument('<run-id>')
        .addOption(tenantOption())
        .action(async (id: string, options: { tenant: string }, command: Command) => {
          const context = cliContext(command);
          const remote = context.remote();
          const report = remote
            ? await remote.call(
                remote.client.POST('/v1/masking/runs/{id}/cancel', { params: { path: { id } } }),
              )
            : await withMaskingServices(context, {}, async (services) => {
                const db = maskingDepsFrom(services).db;
                await requestMaskingCancel(db, options.tenant, id);
                return readMaskingReport(db, options.tenant, id);
              });
          context.print(`Cancel requested for ${id}.`, report);
        }),
    );
}

function planOptions(command: Command): Command {
  return command
    .requiredOption('--from <system>', 'the data-map system to copy (postgres or mysql)')
    .option(
      '--key <reference>',
      'the masking key: a Steward secret or env:/file: reference',
      'secret:masking-key',
    )
    .option(
      '--where <table: condition...>',
      'subset seed, e.g. "customers: created_at > now() - interval \'90 days\'"',
    )
    .option(
      '--percent <n>',
      'keep this share of the seed rows (sampled by keyed hash: the same rows every run)',
    )
    .option(
      '--rule <table.column=transformer...>',
      'override the rule the data map implies, e.g. customers.notes=null',
    )
    .option(
      '--json-path <table.column:$.path=transformer...>',
      'mask a JSON column by path, e.g. customers.prefs:$.contact.email=email',
    )
    .option('--locale <faker-locale>', 'locale of fake names and addresses', 'en')
    .option('--country <ISO-3166>', 'country of phone numbers and IDs written without one', 'US')
    .option('--schema <name...>', 'PostgreSQL schemas to copy', ['public'])
    .addOption(tenantOption())
    .addOption(demoOption());
}

function copyOptions(command: Command): Command {
  return planOptions(command)
    .option(
      '--to <url-or-reference>',
      'an empty database of the source’s kind: a URL without password, or env:/secret: reference',
    )
    .option(
      '--to-dump <file>',
      'write a pg_dump-compatible plain SQL file instead (PostgreSQL sources; with --server, on the worker’s disk)',
    )
    .option('--concurrency <n>', 'tables copied at once', '2')
    .option('--background', 'only enqueue the run for a worker and print its id');
}

function requestOf(options: CopyOptions): Omit<MaskingRunRequest, 'target' | 'actor'> {
  let overrides = (options.rule ?? []).map(parseRuleOption);
  for (const path of options.jsonPath ?? []) overrides = addJsonPathOption(overrides, path);
  const subset =
    options.where?.length || options.percent
      ? {
          where: (options.where ?? []).map(parseSubsetWhere),
          percent: options.percent ? Number(options.percent) : undefined,
        }
      : undefined;
  return {
    sourceSystem: options.from,
    options: {
      keyReference: options.key,
      overrides,
      ...(subset ? { subset } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
      ...(options.country ? { defaultCountry: options.country.toUpperCase() } : {}),
      ...(options.concurrency ? { concurrency: Number(options.concurrency) } : {}),
      ...(options.schema ? { schemas: options.schema } : {}),
    },
  };
}

function targetOf(options: CopyOptions): MaskingTarget {
  if (Boolean(options.to) === Boolean(options.toDump)) {
    throw new InvalidInput(
      'masking.target_required',
      'Give exactly one of --to <database> and --to-dump <file>.',
    );
  }
  return options.to ? { kind: 'database', url: options.to } : { kind: 'dump', path: options.toDump! };
}

function planAction() {
  return async (options: CopyOptions, command: Command) => {
    const context = cliContext(command);
    const remote = context.remote({ '--demo': options.demo });
    const plan = remote
      ? await remote.call(remote.client.POST('/v1/masking/plan', { body: apiBodyOf(options) }))
      : await withMaskingServices(context, options, (services) =>
          planMaskedCopy(maskingDepsFrom(services), options.tenant, requestOf(options)),
        );
    context.print(renderMaskingPlan(plan), plan);
  };
}

function copyAction() {
  return async (options: CopyOptions, command: Command) => {
    const context = cliContext(command);
    const target = targetOf(options);
    const remote = context.remote({ '--demo': options.demo });
    if (remote) {
      const started = await remote.call(
        remote.client.POST('/v1/masking/runs', { body: { ...apiBodyOf(options), target } }),
      );
      if (options.background) {
        context.print(`Masking run ${started.runId} queued.`, { runId: started.runId });
        return;
      }
      printOutcome(context, await followRemoteRun(context, remote, started.runId));
      return;
    }
    await withMaskingServices(context, options, async (services) => {
      const deps = maskingDepsFrom(services);
      const id = await requestMaskingRun(deps, options.tenant, {
        ...requestOf(options),
        target,
        actor: { kind: 'system', id: 'cli' },
      });
      if (options.background) {
        await services.jobs.enqueue(
          MASKING_QUEUES.run,
          { tenantId: options.tenant, runId: id },
          { idempotencyKey: id },
        );
        context.print(`Masking run ${id} queued.`, { runId: id });
        return;
      }
      printOutcome(context, await runInForeground(context, services, options.tenant, id));
    });
  };
}

/** The API's body for a plan or a copy: the same options as a local run, flat. */
function apiBodyOf(options: CopyOptions) {
  const { sourceSystem, options: settings } = requestOf(options);
  return { sourceSystem, ...settings };
}

/**
 * Remote mode: a worker of the server copies; this follows its report with the same progress line
 * until it ends. Ctrl-C asks the server to cancel after the current batch, as a local run stops.
 */
async function followRemoteRun(context: CliContext, remote: RemoteApi, id: string) {
  const spinner = context.spinner(`Masking run ${id}: queued for a worker`).start();
  const path = { params: { path: { id } } };
  const stop = () => {
    spinner.text = 'Cancelling after the current batch…';
    void remote.call(remote.client.POST('/v1/masking/runs/{id}/cancel', path)).catch(() => undefined);
  };
  process.once('SIGINT', stop);
  try {
    for (;;) {
      const report = await remote.call(remote.client.GET('/v1/masking/runs/{id}', path));
      if (report.state !== 'queued' && report.state !== 'running') return report;
      spinner.text = `${report.phase}: ${report.rowsCopied.toLocaleString('en-US')} of ${(report.plan?.totalRows ?? 0).toLocaleString('en-US')}`;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    process.off('SIGINT', stop);
    spinner.stop();
  }
}

/** Runs in this process with a progress line; Ctrl-C stops after the current batch (resume later). */
async function runInForeground(
  context: CliContext,
  services: MaskingServices,
  tenantId: string,
  id: string,
): Promise<MaskingReport> {
  const spinner = context.spinner(`Masking run ${id}: planning…`).start();
  const controller = new AbortController();
  const stop = () => {
    spinner.text = 'Stopping after the current batch…';
    controller.abort();
  };
  process.once('SIGINT', stop);
  try {
    const deps = maskingDepsFrom(services, (progress) => {
      spinner.text = `${progress.phase}: ${progress.rowsCopied.toLocaleString('en-US')} of ${progress.rowsPlanned.toLocaleString('en-US')}${progress.table ? `  ${progress.table}` : ''}`;
    });
    const outcome = await executeMaskingRun(deps, tenantId, id, { signal: controller.signal });
    if (outcome.kind !== 'finished')
      throw new InvalidInput('masking.run_held', `Run ${id} is being worked on by another process.`);
    return outcome.report;
  } finally {
    process.off('SIGINT', stop);
    spinner.stop();
  }
}

function printOutcome(context: CliContext, report: MaskingReport): void {
  context.print(renderMaskingReport(report), report);
  if (report.state === 'failed')
    throw new InvalidInput('masking.run_failed', report.error ?? `Masking run ${report.runId} failed.`, {
      runId: report.runId,
    });
}

/**
 * The app's services for the length of a command; the demo shop is prepared when the demo is on
 * (`--demo`, or `demo.enabled` in steward.yaml).
 */
function withMaskingServices<T>(
  context: CliContext,
  options: { demo?: boolean },
  work: (services: MaskingServices) => Promise<T>,
): Promise<T> {
  return context.withServices<MaskingServices, T>({ demo: options.demo, preparesDemoShop: true }, work);
}
