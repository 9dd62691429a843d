import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { STEWARD_VERSION } from '../../../kernel/version.ts';
import { loadDataMapFromConfig } from '../../../platform/datamap/load-datamap-from-config.ts';
import type { PlatformConfig } from '../../../platform/platform-services.ts';
import type { DriftFinding } from '../core/drift.ts';
import { renderJunit } from '../core/findings-junit.ts';
import { renderSarif } from '../core/findings-sarif.ts';
import { locateFindings } from '../use-cases/propose-datamap-changes.ts';
import { runDiscovery } from '../use-cases/run-discovery.ts';
import { sampleSize } from './discover-command.ts';

/**
 * `steward datamap check`: discovery over every database and log system of the data map, as
 * findings for CI — text, SARIF (code scanning) or JUnit — and exit code 65 when any error finding
 * remains (an undeclared e-mail column fails the build). Stores nothing.
 */
export function datamapCheckCommand(): Command {
  return new Command('check')
    .description('compare the data map with the data (sampled): fail when personal data is undeclared')
    .option('--system <id...>', 'only these systems (default: every database and log system)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'sarif', 'junit']).default('text'),
    )
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--sample <rows>', 'rows (or log lines) sampled per table', sampleSize, 200)
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails')
        .choices(['error', 'warning'])
        .default('error'),
    )
    .option('--tenant <id>', 'tenant whose data map is checked', 'default')
    .action(
      async (
        options: {
          system?: string[];
          format: 'text' | 'sarif' | 'junit';
          output?: string;
          sample: number;
          failOn: 'error' | 'warning';
          tenant: string;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const { config } = context.loadConfig<PlatformConfig>();
        const dataMap = loadDataMapFromConfig(config, context.logger()).forTenant(options.tenant);
        const systems = dataMap.dataMap.systems.filter(
          (s) => s.kind !== 'http' && (!options.system || options.system.includes(s.id)),
        );
        for (const id of options.system ?? [])
          if (!systems.some((s) => s.id === id))
            throw new InvalidInput(
              'discovery.unknown_system',
              `The data map has no database or log system ${id}.`,
              { system: id },
            );
        const findings: DriftFinding[] = [];
        const checked: { system: string; collection: string }[] = [];
        for (const system of systems) {
          const outcome = await runDiscovery(
            { dataMap },
            { tenantId: options.tenant, system: system.id, trigger: 'cli', sampleSize: options.sample },
          );
          findings.push(...outcome.findings);
          checked.push(...outcome.result.collections.map((c) => ({ system: system.id, collection: c.name })));
        }
        const located = locateFindings(findings);
        const report =
          options.format === 'sarif'
            ? renderSarif(located, STEWARD_VERSION)
            : options.format === 'junit'
              ? renderJunit(located, checked)
              : `${located.map((f) => `${f.path}:${f.line}: ${f.finding.severity}: ${f.finding.message} [${f.finding.code}]`).join('\n') || `The data map declares all personal data found in ${systems.length} system(s).`}\n`;
        if (options.output) writeFileSync(options.output, report);
        else process.stdout.write(report);
        const failing = findings.filter((f) => f.severity === 'error' || options.failOn === 'warning');
        if (failing.length)
          throw new InvalidInput(
            'discovery.drift',
            `${failing.length} finding(s): declare the personal data (steward discover <system> --diff proposes the change).`,
            { findings: failing.length },
          );
      },
    );
}
