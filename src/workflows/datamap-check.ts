import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { cliContext, type CliContext } from '../kernel/cli/cli-context.ts';
import { EXIT_CODE_BY_KIND } from '../kernel/cli/exit-codes.ts';
import { InvalidInput } from '../kernel/errors/domain-error.ts';
import { STEWARD_VERSION } from '../kernel/version.ts';
import type { DataMapRegistry } from '../platform/datamap/datamap-types.ts';
import {
  checkFails,
  combineFindings,
  type DataMapCheckReport,
  type FindingSource,
} from '../platform/datamap/findings/datamap-finding.ts';
import { renderFindingsJunit } from '../platform/datamap/findings/render-findings-junit.ts';
import { renderFindingsSarif } from '../platform/datamap/findings/render-findings-sarif.ts';
import { renderFindingsText } from '../platform/datamap/findings/render-findings-text.ts';
import { checkDriftFindings, parseSampleSize } from '../modules/discovery/api.ts';
import { checkComplianceFindings, type GovernanceServices } from '../modules/governance/api.ts';

type Check = 'compliance' | 'drift';
type Format = 'text' | 'json' | 'junit' | 'sarif';

interface CheckOptions {
  only?: Check;
  /** Rows per table, or false with --no-sample. */
  sample: number | false;
  system?: string[];
  format: Format;
  output?: string;
  strict?: boolean;
  tenant: string;
  demo?: boolean;
}

/**
 * `steward datamap check`, for CI: the GDPR compliance of the data map and its registers
 * (governance: legal bases, retention, transfers, DPIAs, processors' DPAs) and the personal data the
 * systems hold that the data map does not declare (discovery's drift, sampled). Findings point at
 * data-map lines; `--format junit|sarif` writes what CI systems show. Exits 65 when an error is found
 * (or, with --strict, a warning).
 */
export function datamapCheckCommand(): Command {
  return new Command('check')
    .description(
      'check the data map for CI: GDPR duties (legal bases, retention, transfers, DPIAs, processors) and personal data the systems hold that it does not declare',
    )
    .addOption(
      new Option(
        '--only <check>',
        'run one check: compliance (data map and registers) or drift (the data, sampled)',
      ).choices(['compliance', 'drift']),
    )
    .option('--sample <rows>', 'drift: rows (or log lines) sampled per table', parseSampleSize, 200)
    .option(
      '--no-sample',
      "drift: read the databases' catalogs only (names and types, no row); skip log systems",
    )
    .option('--system <id...>', 'drift: only these systems (default: every database and log system)')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['text', 'json', 'junit', 'sarif'])
        .default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file (the summary still goes to stdout)')
    .option('--strict', 'warnings fail the check too')
    .option('--tenant <id>', 'tenant whose data map is checked', 'default')
    .option('--demo', 'include the demo shop')
    .action(async (options: CheckOptions, command: Command) => {
      const context = cliContext(command);
      const checks: Check[] = options.only ? [options.only] : ['compliance', 'drift'];
      if (options.system && !checks.includes('drift'))
        throw new InvalidInput(
          'datamap.check_system_without_drift',
          '--system chooses the systems the drift check samples; it has no effect with --only compliance. Remove one of them.',
        );
      const now = new Date();
      const report = combineFindings(await runChecks(context, options, checks, now), now);
      emitReport(context, report, options);
      if (checkFails(report, options.strict === true)) process.exitCode = EXIT_CODE_BY_KIND.invalid;
    });
}

/** The compliance check needs Steward's database (the registers); drift alone needs only the data map. */
async function runChecks(
  context: CliContext,
  options: CheckOptions,
  checks: readonly Check[],
  now: Date,
): Promise<FindingSource[]> {
  const drift = (dataMaps: DataMapRegistry) => {
    refuseEmptyDataMap(dataMaps, options.tenant);
    const spinner = context.spinner('Sampling the systems of the data map').start();
    return checkDriftFindings(
      { dataMap: dataMaps.forTenant(options.tenant) },
      {
        tenantId: options.tenant,
        sampleSize: options.sample === false ? 0 : options.sample,
        ...(options.system ? { systems: options.system } : {}),
      },
    ).finally(() => spinner.stop());
  };
  if (!checks.includes('compliance') && !options.demo)
    return [await drift(context.dataMaps<DataMapRegistry>())];
  return context.withServices(
    { demo: options.demo, preparesDemoShop: options.demo === true, enqueuesJobs: false },
    async (services: GovernanceServices) => {
      refuseEmptyDataMap(services.dataMaps, options.tenant);
      return [
        ...(checks.includes('compliance')
          ? [await checkComplianceFindings(services, options.tenant, now)]
          : []),
        ...(checks.includes('drift') ? [await drift(services.dataMaps)] : []),
      ];
    },
  );
}

/**
 * A check of a data map without systems finds nothing and would pass CI: a wrong datamap.path (or
 * the demo without --demo) must not read as "compliant". Refused, naming the fix.
 */
function refuseEmptyDataMap(dataMaps: DataMapRegistry, tenantId: string): void {
  if (dataMaps.forTenant(tenantId).dataMap.systems.length) return;
  throw new InvalidInput(
    'datamap.check_empty',
    `The data map of tenant ${tenantId} declares no system, so there is nothing to check and the check does not pass. Point datamap.path at your data map (steward datamap show says what it holds), or add --demo for the demo shop.`,
    { tenant: tenantId },
  );
}

/** The report to --output or stdout; when stdout carries a JUnit/SARIF/JSON document, the summary goes to stderr. */
function emitReport(context: CliContext, report: DataMapCheckReport, options: CheckOptions): void {
  const root = process.cwd();
  const format: Format = context.options.json ? 'json' : options.format;
  const text = renderFindingsText(report, root);
  const summary = text.slice(text.lastIndexOf('Data map check:'));
  const body = {
    text: () => text,
    json: () => `${JSON.stringify(report, null, 2)}\n`,
    junit: () => renderFindingsJunit(report, { root }),
    sarif: () =>
      `${JSON.stringify(renderFindingsSarif(report, { root, version: STEWARD_VERSION }), null, 2)}\n`,
  }[format]();
  if (options.output) {
    writeFileSync(resolve(options.output), body);
    process.stdout.write(
      `${format === 'text' ? summary : text}Wrote the ${format} report to ${resolve(options.output)}.\n`,
    );
    return;
  }
  process.stdout.write(body);
  if (format !== 'text') process.stderr.write(summary);
}
