import { Command, InvalidArgumentError } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
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
    .action(
      async (
        systemId: string,
        options: { sample: number; diff?: boolean; tenant: string; record: boolean; demo?: boolean },
        command: Command,
      ) => {
        const context = cliContext(command);
        const spinner = context.spinner(`Sampling ${systemId}`).start();
        try {
          const serviceOptions = {
            demo: options.demo,
            preparesDemoShop: options.demo === true,
            enqueuesJobs: false,
          };
          await context.withServices(serviceOptions, async (services: DiscoveryServices) => {
            const dataMap = services.dataMaps.forTenant(options.tenant);
            const outcome = await runDiscovery(
              { dataMap, ...(options.record ? { db: services.database.db } : {}) },
              { tenantId: options.tenant, system: systemId, trigger: 'cli', sampleSize: options.sample },
            );
            spinner.stop();
            if (options.diff) {
              const patches = proposeDataMapChanges(outcome.findings);
              process.stdout.write(patches.map((p) => p.diff).join(''));
              return;
            }
            context.print(renderDiscovery(outcome.result, outcome.findings, outcome.comparison), outcome);
          });
        } finally {
          spinner.stop();
        }
      },
    );
}
