import { Command, InvalidArgumentError } from 'commander';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import { renderDiscovery } from '../core/render-discovery.ts';
import type { DiscoveryServices } from '../discovery-services.ts';
import { proposeDataMapChanges } from '../use-cases/propose-datamap-changes.ts';
import { runDiscovery } from '../use-cases/run-discovery.ts';

/** `--sample N`: a positive whole number of rows. */
export function sampleSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new InvalidArgumentError('a whole number of rows from 1 to 100000');
  return n;
}

/**
 * `steward discover <system> [--diff] [--sample N]`: samples the system, shows which fields hold
 * which personal data and why, stores the run (compared with the previous one), and with --diff
 * prints the proposed data-map change as a unified diff for `git apply`.
 */
export function discoverCommand(): Command {
  return new Command('discover')
    .description(
      'find personal data in a system of the data map (tables or log files) and how the data map differs',
    )
    .argument('<system>', 'system id from the data map')
    .option('--sample <rows>', 'rows (or log lines) sampled per table', sampleSize, 200)
    .option('--diff', 'print the proposed data-map change as a unified diff (apply with git apply)')
    .option('--tenant <id>', 'tenant whose data map is used', 'default')
    .option('--no-record', 'do not store the run in Steward’s database')
    .option('--demo', 'include the demo shop (created on first use)')
    .action(async (systemId: string, options: DiscoverOptions, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote({
        '--demo': options.demo,
        // The API stores every run it samples, except the diff's; and the diff samples as configured.
        '--no-record': !options.record && !options.diff,
        '--sample with --diff': options.diff && command.getOptionValueSource('sample') === 'cli',
      });
      const spinner = context.spinner(`Sampling ${systemId}`).start();
      try {
        if (options.diff) {
          const patches = remote
            ? (
                await remote.call(
                  remote.client.GET('/v1/discovery/systems/{system}/diff', {
                    params: { path: { system: systemId } },
                  }),
                )
              ).patches
            : proposeDataMapChanges((await discoverLocally(context, systemId, options)).findings);
          spinner.stop();
          process.stdout.write(patches.map((p) => p.diff).join(''));
          return;
        }
        const outcome = remote
          ? await remote.call(
              remote.client.POST('/v1/discovery/runs', {
                body: { system: systemId, sampleSize: options.sample },
              }),
            )
          : await discoverLocally(context, systemId, options);
        spinner.stop();
        context.print(renderDiscovery(outcome.result, outcome.findings, outcome.comparison), outcome);
      } finally {
        spinner.stop();
      }
    });
}

interface DiscoverOptions {
  sample: number;
  diff?: boolean;
  tenant: string;
  record: boolean;
  demo?: boolean;
}

/** Samples the system from this process, with the data map and database of the local configuration. */
function discoverLocally(context: CliContext, systemId: string, options: DiscoverOptions) {
  const serviceOptions = { demo: options.demo, preparesDemoShop: options.demo === true, enqueuesJobs: false };
  return context.withServices(serviceOptions, (services: DiscoveryServices) =>
    runDiscovery(
      {
        dataMap: services.dataMaps.forTenant(options.tenant),
        ...(options.record ? { db: services.database.db } : {}),
      },
      { tenantId: options.tenant, system: systemId, trigger: 'cli', sampleSize: options.sample },
    ),
  );
}
