import { Command, Option } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { EXIT_CODE_BY_KIND } from '../../../kernel/cli/exit-codes.ts';
import { STEWARD_VERSION } from '../../../kernel/version.ts';
import { renderJunit } from '../core/findings-junit.ts';
import { renderSarif } from '../core/findings-sarif.ts';
import type { ComplianceFinding } from '../core/compliance-check.ts';
import { runComplianceCheck } from '../use-cases/check-compliance.ts';
import { withGovernanceServices, writeDocument } from './governance-cli-services.ts';

function formatFinding(f: ComplianceFinding): string {
  return `${f.file}${f.line ? `:${f.line}` : ''}: ${f.severity} ${f.rule} (${f.subject}): ${f.message}. Fix: ${f.fix}. [${f.article}]`;
}

/**
 * `steward datamap check`: the compliance check for CI. Exits 65 when there is an error finding (or
 * any finding with --strict), 0 otherwise; `--format junit|sarif` writes reports CI systems show.
 */
export function datamapCheckCommand(): Command {
  return new Command('check')
    .description(
      'check the data map against GDPR duties: legal bases, retention, transfers, DPIAs, processors (for CI)',
    )
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['text', 'json', 'junit', 'sarif'])
        .default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file (the summary still goes to stdout)')
    .option('--strict', 'warnings fail the check too')
    .addOption(new Option('--tenant <id>', 'tenant whose data map is checked').default('default'))
    .option('--demo', 'include the demo shop')
    .action(
      async (
        options: {
          format: 'text' | 'json' | 'junit' | 'sarif';
          output?: string;
          strict?: boolean;
          tenant: string;
          demo?: boolean;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const report = await withGovernanceServices(context, options, (services) =>
          runComplianceCheck(services, options.tenant),
        );
        const summary = `${report.errors} error(s), ${report.warnings} warning(s)`;
        if (options.format === 'junit')
          writeDocument(context, renderJunit(report.findings), options.output, 'JUnit report');
        else if (options.format === 'sarif')
          writeDocument(
            context,
            `${JSON.stringify(renderSarif(report.findings, { root: process.cwd(), version: STEWARD_VERSION }), null, 2)}\n`,
            options.output,
            'SARIF report',
          );
        else if (options.format === 'json' || context.options.json)
          writeDocument(context, `${JSON.stringify(report, null, 2)}\n`, options.output, 'JSON report');
        else
          context.print(
            [...report.findings.map(formatFinding), `Data map check: ${summary}.`].join('\n'),
            report,
          );
        if (options.output && options.format !== 'text')
          process.stderr.write(`Data map check: ${summary}.\n`);
        const failed = report.errors > 0 || (options.strict === true && report.warnings > 0);
        if (failed) process.exitCode = EXIT_CODE_BY_KIND.invalid;
      },
    );
}
