import { Command, Option } from 'commander';
import { OPERATOR_ACTOR } from '../../../platform/auth/operator-database.ts';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import type { RemoteApi } from '../../../kernel/cli/remote-api.ts';
import type { RetentionServices } from '../retention-services.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { renderFlowRun } from '../use-cases/render-run.ts';
import { readRun } from '../use-cases/run-store.ts';
import { abortOnInterrupt, progressText, withRetentionServices } from './retention-cli-services.ts';
import { describeFlows } from '../use-cases/flows/describe-flows.ts';
import { executeFlowRun } from '../use-cases/flows/execute-flow-run.ts';
import { createFlowRun } from '../use-cases/flows/flow-run-store.ts';
import { findFlow, formatFlowProblem, loadFlows } from '../use-cases/flows/load-flows.ts';
import type { Flow } from '../use-cases/flows/flow-schema.ts';
import { sweepTargets } from '../use-cases/flows/sweep-targets.ts';
import { buildComplianceReport } from '../use-cases/compliance-report.ts';
import { runSummary } from './retention-command.ts';

const demoOption = () =>
  new Option('--demo', 'include the demo "shop" system and its flow (the shop is created on first use)');

/** `steward flows list|validate|run`: privacy flows as code. */
export function flowsCommand(): Command {
  return new Command('flows')
    .description(
      'privacy flows: YAML files in retention.flowsPath that sweep, purge, report and notify on a schedule',
    )
    .addCommand(listCommand())
    .addCommand(validateCommand())
    .addCommand(runCommand());
}

function listCommand(): Command {
  return new Command('list')
    .description('list the flows with their triggers and next fire times')
    .addOption(demoOption())
    .action(async (options: { demo?: boolean }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const listing = remote
        ? await remote.call(remote.client.GET('/v1/retention/flows'))
        : await context.withServices(
            { demo: options.demo, enqueuesJobs: false },
            async (services: RetentionServices) => describeFlows(services),
          );
      const lines = listing.flows.map((f) => {
        const triggers =
          f.triggers
            .map(
              (t) =>
                `${t.id}: ${t.cron} ${t.timezone}${t.recoverMissedSchedules === 'NONE' ? '' : ` (recover missed: ${t.recoverMissedSchedules})`}${t.nextRun ? `, next ${t.nextRun}` : ''}`,
            )
            .join('; ') || 'manual only';
        const tasks = (list: { id: string; type: string }[]) =>
          list.map((t) => `${t.id} (${t.type})`).join(', ');
        return `  ${f.namespace}/${f.id}${f.disabled ? ' (disabled)' : ''}  ${triggers}\n    tasks: ${tasks(f.tasks)}${f.errors.length ? `\n    errors: ${tasks(f.errors)}` : ''}  [${f.source}]`;
      });
      const problems = listing.problems.map((p) => `  INVALID ${formatFlowProblem(p)}`);
      context.print(
        [listing.flows.length ? 'Flows:' : 'No flows.', ...lines, ...problems].join('\n'),
        listing,
      );
    });
}

function validateCommand(): Command {
  return new Command('validate')
    .description('check flow files against the schema and the data map (default: retention.flowsPath)')
    .argument('[path]', 'a flow file or folder')
    .addOption(demoOption())
    .action(async (path: string | undefined, options: { demo?: boolean }, command: Command) => {
      const context = cliContext(command);
      const { flows, problems } = await context.withServices(
        { demo: options.demo, enqueuesJobs: false },
        async (services: RetentionServices) => {
          const retention = path
            ? { ...services.config.retention, flowsPath: path }
            : services.config.retention;
          return loadFlows({ retention }, services.dataMaps, services.retentionFlowFiles);
        },
      );
      if (problems.length) {
        throw new InvalidInput(
          'retention.flows_invalid',
          `${problems.length} problem${problems.length === 1 ? '' : 's'} in flows:\n${problems.map((p) => `  ${formatFlowProblem(p)}`).join('\n')}`,
          { problems },
        );
      }
      const own = flows.filter((f) => f.source !== 'built-in');
      context.print(
        `${own.length} flow${own.length === 1 ? '' : 's'} valid: ${own.map((f) => f.flow.id).join(', ') || 'none'}`,
        { flows: own.map((f) => ({ id: f.flow.id, source: f.source })) },
      );
    });
}

function runCommand(): Command {
  return new Command('run')
    .description('run a flow now, in the foreground with a progress bar')
    .argument('<id>')
    .option('--dry-run', 'sweeps count and sample only, purges count only; nothing changes')
    .option('--background', 'only enqueue the flow run for a worker and print its id')
    .addOption(new Option('--namespace <id>', 'namespace (tenant) of the flow'))
    .addOption(demoOption())
    .action(
      async (
        id: string,
        options: { dryRun?: boolean; background?: boolean; namespace?: string; demo?: boolean },
        command: Command,
      ) => {
        const context = cliContext(command);
        const remote = context.remote({ '--demo': options.demo });
        if (remote) {
          // The server holds the flow's definition; what it removes is counted there (or --dry-run).
          if (!options.dryRun)
            await context.confirm(
              `Running flow ${id} deletes or anonymises the rows due under the rules its sweeps cover, and its purges remove Steward's expired data. It cannot be undone (try --dry-run first).`,
            );
          const queued = await remote.call(
            remote.client.POST('/v1/retention/flows/{id}/runs', {
              params: { path: { id } },
              body: { dryRun: options.dryRun === true },
              ...(options.namespace ? { headers: { 'x-steward-tenant': options.namespace } } : {}),
            }),
          );
          if (options.background)
            return context.print(`Flow run ${queued.id} queued; a worker executes it.`, { id: queued.id });
          const run = await followRemoteFlowRun(context, remote, queued.id);
          const sweeps = await Promise.all(
            run.tasks
              .filter((t) => t.runId)
              .map((t) =>
                remote.call(
                  remote.client.GET('/v1/retention/runs/{id}', { params: { path: { id: t.runId! } } }),
                ),
              ),
          );
          context.print(renderFlowRun(run, sweeps), run);
          if (run.state === 'failed') process.exitCode = 1;
          return;
        }
        await withRetentionServices(context, options, async (services) => {
          const { flow } = findFlow(
            services.config,
            services.dataMaps,
            id,
            options.namespace,
            services.retentionFlowFiles,
          );
          if (!options.dryRun) await context.confirm(await flowRunSummary(services, flow));
          const flowRunId = (await createFlowRun(services, {
            flow,
            trigger: 'manual',
            dryRun: options.dryRun === true,
            actor: OPERATOR_ACTOR,
            enqueue: options.background === true,
          }))!;
          if (options.background)
            return context.print(`Flow run ${flowRunId} queued; a worker executes it.`, { id: flowRunId });
          const spinner = context.spinner(`Flow ${flow.id}: starting`).start();
          const interrupt = abortOnInterrupt(spinner);
          try {
            const run = await executeFlowRun(services, flow.namespace, flowRunId, {
              signal: interrupt.signal,
              onProgress: ({ rowsDone, rowsEstimated, collection }) =>
                (spinner.text = progressText(rowsDone, rowsEstimated, collection)),
            });
            spinner.stop();
            const sweeps = await Promise.all(
              run.tasks
                .filter((t) => t.runId)
                .map((t) => readRun(services.database.db, flow.namespace, t.runId!)),
            );
            context.print(renderFlowRun(run, sweeps), run);
            if (run.state === 'failed') process.exitCode = 1;
          } finally {
            interrupt.dispose();
            spinner.stop();
          }
        });
      },
    );
}

/** In remote mode a worker runs the flow; the CLI follows it until it ends (Ctrl-C leaves it running). */
async function followRemoteFlowRun(context: CliContext, remote: RemoteApi, id: string) {
  const spinner = context.spinner(`Flow run ${id}: queued for a worker`).start();
  try {
    for (;;) {
      const run = await remote.call(
        remote.client.GET('/v1/retention/flow-runs/{id}', { params: { path: { id } } }),
      );
      if (run.state !== 'queued' && run.state !== 'running') return run;
      const current = run.tasks.find((task) => task.state === 'running');
      spinner.text = `Flow ${run.flowId}: ${current ? `task ${current.id}` : run.state}`;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    spinner.stop();
  }
}

/**
 * What a real flow run is about to remove, for the confirmation: the rows due now under the rules
 * its sweeps cover (as `retention run` says it), and that its purges remove Steward's expired data.
 */
async function flowRunSummary(services: RetentionServices, flow: Flow): Promise<string> {
  const targets = flow.tasks.flatMap((task) =>
    task.type === 'retention.sweep' ? sweepTargets(services, flow, task) : [],
  );
  const purges = flow.tasks.some((task) => task.type === 'steward.purge');
  const sweeps = targets.length
    ? runSummary(await buildComplianceReport(services, flow.namespace), { targets }).replace(
        /^This run/,
        `Flow ${flow.id}`,
      )
    : `Flow ${flow.id} sweeps no collection.`;
  return [
    sweeps,
    ...(purges ? ["It also purges Steward's own expired data (steward.purge; --dry-run counts it)."] : []),
  ].join('\n');
}
