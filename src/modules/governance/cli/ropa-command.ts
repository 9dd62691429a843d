import { Command, Option } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { OPERATOR_ACTOR } from '../../../platform/auth/operator-database.ts';
import { diffRopa } from '../use-cases/diff-ropa.ts';
import { exportRopa, type ExportFormat } from '../use-cases/export-ropa.ts';
import { writeRopaField } from '../use-cases/write-ropa-field.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapRegistry } from '../../../platform/datamap/datamap-types.ts';
import { withGovernanceServices, writeDocument } from './governance-cli-services.ts';

const tenantOption = () => new Option('--tenant <id>', 'tenant whose record it is').default('default');

/** `steward ropa export|diff|set`: the record of processing activities (GDPR Art. 30). */
export function ropaCommand(): Command {
  const ropa = new Command('ropa').description(
    'the record of processing activities (GDPR Art. 30): export, diff, write fields by hand',
  );
  ropa
    .command('export')
    .description('generate the record from the data map and the hand-written fields, and export it')
    .addOption(
      new Option('--format <format>', 'output format').choices(['pdf', 'html', 'csv', 'json']).default('pdf'),
    )
    .option('-o, --output <file>', 'write to this file (required for pdf)')
    .addOption(tenantOption())
    .option('--demo', 'include the demo shop')
    .action(
      async (
        options: { format: ExportFormat; output?: string; tenant: string; demo?: boolean },
        command: Command,
      ) => {
        const context = cliContext(command);
        const remote = context.remote({ '--demo': options.demo });
        const document = remote
          ? await remote.document(
              remote.client.GET('/v1/governance/ropa/export', {
                params: { query: { format: options.format } },
                parseAs: 'arrayBuffer',
              }),
            )
          : await withGovernanceServices(context, options, (services) => {
              refuseEmptyDataMap(services.dataMaps, options.tenant);
              return exportRopa(services, options.tenant, options.format);
            });
        writeDocument(
          context,
          document.body,
          options.output ?? (options.format === 'pdf' ? document.filename : undefined),
          `record of processing (${options.format})`,
        );
      },
    );
  ropa
    .command('diff')
    .description('what changed in the record since the last stored generation (or between two generations)')
    .option('--from <generation>', 'generation id to compare from')
    .option('--to <generation>', 'generation id to compare to (default: generated now)')
    .addOption(tenantOption())
    .action(async (options: { from?: string; to?: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const between = {
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
      };
      const remote = context.remote();
      const diff = remote
        ? await remote.call(remote.client.GET('/v1/governance/ropa/diff', { params: { query: between } }))
        : await withGovernanceServices(context, {}, (services) =>
            diffRopa(services, options.tenant, between),
          );
      const lines = [
        ...diff.addedEntries.map((e) => `+ activity ${e}`),
        ...diff.removedEntries.map((e) => `- activity ${e}`),
        ...diff.changes.flatMap((c) => [
          `~ ${c.entryId} ${c.field} (${c.article})${c.underManualText ? ' — under a hand-written text: review it' : ''}`,
          ...c.removed.map((l) => `    - ${l}`),
          ...c.added.map((l) => `    + ${l}`),
        ]),
      ];
      context.print(lines.length ? lines.join('\n') : `No changes since ${diff.from}.`, diff);
    });
  ropa
    .command('set')
    .description('write a field by hand (it survives regeneration); no text removes it')
    .argument('<entry>', '"*" for every entry, or an entry id such as controller:essential.service')
    .argument('<field>', 'controller, jointControllers, representative, dpo, securityMeasures, …')
    .argument('[lines...]', 'the text, one argument per line')
    .addOption(tenantOption())
    .action(
      async (
        entryId: string,
        field: string,
        lines: string[],
        options: { tenant: string },
        command: Command,
      ) => {
        const context = cliContext(command);
        const remote = context.remote();
        if (remote)
          await remote.call(
            remote.client.PUT('/v1/governance/ropa/fields/{entryId}/{field}', {
              params: { path: { entryId, field } },
              body: { lines },
            }),
          );
        else
          await withGovernanceServices(context, {}, (services) =>
            writeRopaField(services, options.tenant, { entryId, field, lines }, OPERATOR_ACTOR),
          );
        context.print(
          lines.length ? `Wrote ${field} of ${entryId}.` : `Removed the hand-written ${field} of ${entryId}.`,
          { entryId, field, lines },
        );
      },
    );
  return ropa;
}

/**
 * A record generated from a data map without systems lists no processing at all: written to a file
 * as if it were the record, it reads as "we process nothing". Said instead (a newcomer beside the
 * demo who left out --demo, or a datamap.path pointing at the wrong folder).
 */
function refuseEmptyDataMap(dataMaps: DataMapRegistry, tenantId: string): void {
  if (dataMaps.forTenant(tenantId).dataMap.systems.length) return;
  throw new InvalidInput(
    'governance.empty_datamap',
    `The data map of tenant ${tenantId} declares no system, so the record of processing would list no processing; nothing was written. Point datamap.path at your data map (steward datamap show says what it holds), or add --demo for the demo shop.`,
    { tenant: tenantId },
  );
}
