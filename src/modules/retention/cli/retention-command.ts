import { Command, Option } from 'commander';
import { OPERATOR_ACTOR } from '../../../platform/auth/operator-database.ts';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import type { RemoteApi } from '../../../kernel/cli/remote-api.ts';
import { retentionRuleSchema } from '../../../platform/datamap/datamap-manifest-schema.ts';
import type { RetentionRule } from '../../../platform/datamap/datamap-types.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { RetentionServices } from '../retention-services.ts';
import { buildComplianceReport, type ComplianceReport } from '../use-cases/compliance-report.ts';
import { dryRunRule } from '../use-cases/dry-run-rule.ts';
import { cancelRun, executeRun } from '../use-cases/execute-run.ts';
import { splitAddress } from '../use-cases/flows/load-flows.ts';
import { renderComplianceReport, renderDryRun, renderRun } from '../use-cases/render-run.ts';
import { requestRun } from '../use-cases/request-run.ts';
import { approveRun, rejectRun } from '../use-cases/decide-run.ts';
import type { RunReport } from '../core/retention-run-types.ts';
import { abortOnInterrupt, progressText, withRetentionServices } from './retention-cli-services.ts';
import { listRuns, readRun } from '../use-cases/run-store.ts';
import { purgeStewardData } from '../use-cases/steward-data-purge.ts';

const tenantOption = () => new Option('--tenant <id>', 'tenant whose data map is used').default('default');
const demoOption = () => new Option('--demo', 'include the demo "shop" system (created on first use)');

/** `steward retention …`: dry runs, runs with a progress bar, run history, the compliance report, Steward's own purge. */
export function retentionCommand(): Command {
  return new Command('retention')
    .description(
      'enforce the retention rules of the data map: dry-run, run, runs, approve, reject, cancel, resume, report, purge',
    )
    .addCommand(dryRunCommand())
    .addCommand(runCommand())
    .addCommand(resumeCommand())
    .addCommand(runsCommand())
    .addCommand(approveCommand())
    .addCommand(rejectCommand())
    .addCommand(cancelCommand())
    .addCommand(reportCommand())
    .addCommand(purgeCommand());
}

function dryRunCommand(): Command {
  return new Command('dry-run')
    .description(
      'show what a rule would delete or anonymise now (counts and a few primary keys); with --keep-for etc. try a rule before adding it to the data map',
    )
    .argument('<system.collection>', 'the collection, e.g. shop.sessions')
    .option('--keep-for <duration>', 'proposed rule: how long rows are kept, e.g. 2y')
    .option('--anchor <field>', 'proposed rule: the date field the period runs from')
    .addOption(
      new Option('--action <action>', 'proposed rule: what happens to due rows').choices([
        'delete',
        'anonymise',
      ]),
    )
    .option('--where <field=value...>', 'proposed rule: conditions (equality), e.g. status=inactive')
    .addOption(tenantOption())
    .addOption(demoOption())
    .action(
      async (
        address: string,
        options: {
          keepFor?: string;
          anchor?: string;
          action?: string;
          where?: string[];
          tenant: string;
          demo?: boolean;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const [system, collection] = parseAddress(address);
        const proposed = proposedRule(options);
        const remote = context.remote();
        const result = remote
          ? await remote.call(
              remote.client.POST('/v1/retention/rules/{system}/{collection}/dry-run', {
                params: { path: { system, collection } },
                body: proposed ? { rule: proposed } : {},
              }),
            )
          : await withRetentionServices(context, options, (services) =>
              dryRunRule(services, options.tenant, { system, collection }, proposed, OPERATOR_ACTOR),
            );
        context.print(renderDryRun(result), result);
      },
    );
}

function runCommand(): Command {
  return new Command('run')
    .description(
      'sweep now, in the foreground with a progress bar (Ctrl-C stops after the current batch; resume later)',
    )
    .argument('[collections...]', 'system.collection to sweep (default: every rule)')
    .option('--system <id...>', 'only the rules of these systems')
    .option('--dry-run', 'count and sample only; nothing changes')
    .option('--batch-size <n>', 'rows per batch (default: retention.sweep.batchSize)')
    .option('--pause-ms <ms>', 'pause between batches (default: retention.sweep.pauseMs)')
    .option('--concurrency <n>', 'systems swept at once', '1')
    .option('--background', 'only enqueue the run for a worker and print its id')
    .addOption(tenantOption())
    .addOption(demoOption())
    .action(
      async (
        collections: string[],
        options: {
          system?: string[];
          dryRun?: boolean;
          batchSize?: string;
          pauseMs?: string;
          concurrency: string;
          background?: boolean;
          tenant: string;
          demo?: boolean;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const targets = collections.length
          ? collections.map(parseAddress).map(([system, collection]) => ({ system, collection }))
          : undefined;
        const request = {
          ...(targets ? { targets } : {}),
          ...(options.system ? { systems: options.system } : {}),
          dryRun: options.dryRun === true,
          ...(options.batchSize
            ? { batchSize: wholeNumber('--batch-size', options.batchSize, 1, 50_000) }
            : {}),
          ...(options.pauseMs ? { pauseMs: wholeNumber('--pause-ms', options.pauseMs, 0, 60_000) } : {}),
          concurrency: wholeNumber('--concurrency', options.concurrency, 1, 16),
        };
        const remote = context.remote();
        if (remote) {
          if (!request.dryRun)
            await context.confirm(
              runSummary(await remote.call(remote.client.GET('/v1/retention/report')), request),
            );
          const queued = await remote.call(remote.client.POST('/v1/retention/runs', { body: request }));
          if (queued.state === 'awaiting_approval') return printAwaitingApproval(context, queued);
          if (options.background) return printQueued(context, queued.id);
          const report = await followRemoteRun(context, remote, queued.id);
          return context.print(renderRun(report), report);
        }
        await withRetentionServices(context, options, async (services) => {
          if (!request.dryRun)
            await context.confirm(runSummary(await buildComplianceReport(services, options.tenant), request));
          const id = await requestRun(services, options.tenant, request, OPERATOR_ACTOR, {
            enqueue: options.background === true,
          });
          const requested = await readRun(services.database.db, options.tenant, id);
          if (requested.state === 'awaiting_approval') return printAwaitingApproval(context, requested);
          if (options.background) return printQueued(context, id);
          await sweepInForeground(context, services, options.tenant, id);
        });
      },
    );
}

function printQueued(context: CliContext, id: string): void {
  context.print(`Run ${id} queued; a worker sweeps it. Follow it with \`steward retention runs ${id}\`.`, {
    id,
  });
}

/** A run that waits for a second person: how many rows, and how someone else lets it start. */
function printAwaitingApproval(context: CliContext, run: Pick<RunReport, 'id' | 'approval'>): void {
  const approval = run.approval!;
  context.print(
    [
      `Run ${run.id} awaits approval: ${approval.rowsDue.toLocaleString('en-US')} rows are due, more than the ${approval.rowsAbove.toLocaleString('en-US')} one person may remove (auth.separationOfDuties.retentionRunRowsAbove).`,
      `Someone other than its requester approves it with their own key: \`steward retention approve ${run.id} --server …\` (POST /v1/retention/runs/${run.id}/approve) or the console; a worker then sweeps it.`,
      `Rejecting it removes nothing: \`steward retention reject ${run.id} --reason …\`.`,
    ].join('\n'),
    run,
  );
}

/**
 * What a run is about to do, for the confirmation: the rows due now under each rule it sweeps (the
 * compliance report's count, which is what the sweep removes unless a legal hold starts meanwhile).
 */
export function runSummary(
  report: Pick<ComplianceReport, 'collections'>,
  request: { targets?: { system: string; collection: string }[]; systems?: string[] },
): string {
  const swept = report.collections.filter(
    (entry) =>
      entry.rule !== null &&
      (!request.targets ||
        request.targets.some((t) => t.system === entry.system && t.collection === entry.collection)) &&
      (!request.systems || request.systems.includes(entry.system)),
  );
  const due = swept.filter((entry) => (entry.rowsOverdue ?? 0) > 0);
  const rows = due.reduce((sum, entry) => sum + (entry.rowsOverdue ?? 0), 0);
  const lines = due.map(
    (entry) =>
      `  ${`${entry.system}.${entry.collection}`.padEnd(32)} ${(entry.rowsOverdue ?? 0).toLocaleString('en-US').padStart(10)} rows  (${entry.rule})`,
  );
  return [
    `This run deletes or anonymises ${rows.toLocaleString('en-US')} row(s) due now in ${due.length} of the ${swept.length} collection(s) it sweeps${due.length ? ':' : '.'}`,
    ...lines,
    ...(rows ? ['It cannot be undone (try --dry-run first).'] : []),
  ].join('\n');
}

/** In remote mode a worker sweeps; the CLI follows the run until it ends (Ctrl-C leaves it running). */
async function followRemoteRun(context: CliContext, remote: RemoteApi, id: string) {
  const spinner = context.spinner(`Run ${id}: queued for a worker`).start();
  try {
    for (;;) {
      const report = await remote.call(
        remote.client.GET('/v1/retention/runs/{id}', { params: { path: { id } } }),
      );
      if (report.state !== 'queued' && report.state !== 'running') return report;
      spinner.text = progressText(report.rowsDone, report.rowsEstimated, `run ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    spinner.stop();
  }
}

function resumeCommand(): Command {
  return new Command('resume')
    .description('continue an interrupted run from its last batch, in the foreground')
    .argument('<run-id>')
    .addOption(tenantOption())
    .addOption(demoOption())
    .action(async (id: string, options: { tenant: string; demo?: boolean }, command: Command) => {
      const context = cliContext(command);
      await withRetentionServices(context, options, (services) =>
        sweepInForeground(context, services, options.tenant, id),
      );
    });
}

/** Sweeps with a progress bar; if a live process holds the run, says so and leaves it. */
export async function sweepInForeground(
  context: CliContext,
  services: RetentionServices,
  tenantId: string,
  id: string,
): Promise<void> {
  const spinner = context.spinner(`Run ${id}: counting due rows`).start();
  const interrupt = abortOnInterrupt(spinner);
  try {
    const outcome = await executeRun(services, tenantId, id, {
      signal: interrupt.signal,
      onProgress: ({ rowsDone, rowsEstimated, collection }) =>
        (spinner.text = progressText(rowsDone, rowsEstimated, collection)),
    });
    spinner.stop();
    if (outcome.kind === 'awaiting_approval') return printAwaitingApproval(context, outcome.report);
    if (outcome.kind === 'busy')
      throw new InvalidInput(
        'retention.run_busy',
        `Run ${id} is being swept by another process right now; follow it with \`steward retention runs ${id}\`.`,
        { runId: id },
      );
    const report =
      outcome.kind === 'finished' ? outcome.report : await readRun(services.database.db, tenantId, id);
    const suffix =
      outcome.kind === 'stopped' ? `\nStopped; continue with \`steward retention resume ${id}\`.` : '';
    context.print(renderRun(report) + suffix, report);
  } finally {
    interrupt.dispose();
    spinner.stop();
  }
}

function runsCommand(): Command {
  return new Command('runs')
    .description('list recent runs, or show one run with its report')
    .argument('[run-id]')
    .option('-n, --limit <n>', 'runs to list', '20')
    .addOption(tenantOption())
    .action(async (id: string | undefined, options: { limit: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      if (id) {
        const report = remote
          ? await remote.call(remote.client.GET('/v1/retention/runs/{id}', { params: { path: { id } } }))
          : await withRetentionServices(context, {}, (services) =>
              readRun(services.database.db, options.tenant, id),
            );
        return context.print(renderRun(report), report);
      }
      const limit = wholeNumber('--limit', options.limit, 1, 500);
      const runs = remote
        ? (await remote.call(remote.client.GET('/v1/retention/runs', { params: { query: { limit } } }))).items
        : await withRetentionServices(context, {}, (services) =>
            listRuns(services.database.db, options.tenant, { limit }),
          );
      const lines = runs.map(
        (r) =>
          `  ${r.id}  ${r.state.padEnd(9)} ${r.dryRun ? 'dry-run ' : '        '}${r.trigger.padEnd(9)} ${r.rowsDone.toLocaleString('en-US').padStart(10)} of ${r.rowsEstimated.toLocaleString('en-US')} rows  ${r.createdAt}`,
      );
      context.print(runs.length ? lines.join('\n') : 'No retention runs yet.', runs);
    });
}

/**
 * `steward retention approve <run-id>`: the second person lets a large run start. Approval needs a
 * person the API has authenticated (their own key, `--server`/`--profile`); in local mode the CLI is
 * the one operator identity `steward-cli`, which is nobody's second pair of eyes, and is refused.
 */
function approveCommand(): Command {
  return new Command('approve')
    .description(
      'approve a run awaiting a second person (auth.separationOfDuties.retentionRunRowsAbove); through the API with your own key',
    )
    .argument('<run-id>')
    .addOption(tenantOption())
    .action(async (id: string, options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      if (remote) {
        // Approval is what lets the run delete: the approver is told how much, as `retention run` does.
        const run = await remote.call(
          remote.client.GET('/v1/retention/runs/{id}', { params: { path: { id } } }),
        );
        await context.confirm(
          `Approving retention run ${id} lets it remove about ${run.rowsEstimated.toLocaleString('en-US')} rows (deleted or anonymised by their rules). This cannot be undone.`,
        );
      }
      const report = remote
        ? await remote.call(
            remote.client.POST('/v1/retention/runs/{id}/approve', { params: { path: { id } }, body: {} }),
          )
        : await withRetentionServices(context, {}, (services) =>
            approveRun(services, id, { tenantId: options.tenant, actor: OPERATOR_ACTOR }),
          );
      context.print(
        `Run ${id} approved; a worker sweeps it. Follow it with \`steward retention runs ${id}\`.`,
        report,
      );
    });
}

function rejectCommand(): Command {
  return new Command('reject')
    .description('reject a run awaiting approval, with a reason: it removes nothing')
    .argument('<run-id>')
    .requiredOption('--reason <text>', 'why the run must not remove these rows (kept in the audit log)')
    .addOption(tenantOption())
    .action(async (id: string, options: { reason: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const report = remote
        ? await remote.call(
            remote.client.POST('/v1/retention/runs/{id}/reject', {
              params: { path: { id } },
              body: { reason: options.reason },
            }),
          )
        : await withRetentionServices(context, {}, (services) =>
            rejectRun(services, id, { tenantId: options.tenant, actor: OPERATOR_ACTOR }, options.reason),
          );
      context.print(`Run ${id} rejected; it removes nothing.`, report);
    });
}

function cancelCommand(): Command {
  return new Command('cancel')
    .description('stop a run after its current batch')
    .argument('<run-id>')
    .addOption(tenantOption())
    .action(async (id: string, options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const report = remote
        ? await remote.call(
            remote.client.POST('/v1/retention/runs/{id}/cancel', { params: { path: { id } } }),
          )
        : await withRetentionServices(context, {}, (services) =>
            cancelRun(services, options.tenant, id, OPERATOR_ACTOR),
          );
      context.print(
        report.state === 'cancelled' ? `Run ${id} cancelled.` : `Run ${id} stops after its current batch.`,
        report,
      );
    });
}

function reportCommand(): Command {
  return new Command('report')
    .description(
      'compliance report: every collection with personal data, its rule, oldest record, overdue rows and next run; collections without a rule flagged',
    )
    .addOption(tenantOption())
    .addOption(demoOption())
    .action(async (options: { tenant: string; demo?: boolean }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const report = remote
        ? await remote.call(remote.client.GET('/v1/retention/report'))
        : await withRetentionServices(context, options, (services) =>
            buildComplianceReport(services, options.tenant),
          );
      context.print(renderComplianceReport(report), report);
    });
}

function purgeCommand(): Command {
  return new Command('purge')
    .description("purge Steward's own expired data now (retention.stewardData); it also runs daily by itself")
    .option('--dry-run', 'count only')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const context = cliContext(command);
      await withRetentionServices(context, {}, async (services) => {
        if (!options.dryRun) {
          const due = await purgeStewardData(services, { dryRun: true });
          const counts = Object.entries(due)
            .filter(([kind, count]) => kind !== 'dryRun' && typeof count === 'number' && count > 0)
            .map(([kind, count]) => `  ${kind.padEnd(18)} ${count}`);
          if (counts.length)
            await context.confirm(
              `This purge deletes Steward's own records past their period (retention.stewardData):\n${counts.join('\n')}\nIt cannot be undone.`,
            );
        }
        const result = await purgeStewardData(services, { dryRun: options.dryRun === true });
        const lines = Object.entries(result)
          .filter(([k]) => k !== 'dryRun')
          .map(([k, v]) => `  ${k.padEnd(18)} ${v}`);
        context.print(`${result.dryRun ? 'Would purge' : 'Purged'}:\n${lines.join('\n')}`, result);
      });
    });
}

function parseAddress(address: string): [string, string] {
  if (!/^[^.]+\..+$/.test(address))
    throw new InvalidInput(
      'cli.invalid_collection',
      `"${address}" is not system.collection, e.g. shop.sessions.`,
    );
  return splitAddress(address);
}

function proposedRule(options: {
  keepFor?: string;
  anchor?: string;
  action?: string;
  where?: string[];
}): RetentionRule | undefined {
  if (!options.keepFor && !options.anchor && !options.action && !options.where) return undefined;
  const where = options.where
    ? Object.fromEntries(options.where.map((pair) => pair.split(/=(.*)/s).slice(0, 2)))
    : undefined;
  const parsed = retentionRuleSchema.safeParse({
    keepFor: options.keepFor,
    anchor: options.anchor,
    action: options.action,
    ...(where ? { where } : {}),
  });
  if (!parsed.success)
    throw new InvalidInput(
      'cli.invalid_rule',
      `A proposed rule needs --keep-for, --anchor and --action: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function wholeNumber(option: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new InvalidInput(
      'cli.invalid_option',
      `${option} ${raw} is not valid. Give a whole number from ${min} to ${max}.`,
      { option },
    );
  return value;
}
