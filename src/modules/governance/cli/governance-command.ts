import { Command, Option } from 'commander';
import { z } from 'zod';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { OPERATOR_ACTOR } from '../../../platform/auth/operator-database.ts';
import {
  createDpiaBody,
  dpiaContentSchema,
  dpiaView,
  processorBody,
  processorIdParams,
  screeningBody,
} from '../http/governance-schemas.ts';
import { listProcessorRegister } from '../use-cases/list-registers.ts';
import { listScreenings } from '../use-cases/list-screenings.ts';
import { listTransfers } from '../use-cases/list-transfers.ts';
import { recordScreening } from '../use-cases/record-screening.ts';
import { createDpia, readDpia, reviseDpia } from '../use-cases/save-dpia.ts';
import { removeProcessor, saveProcessor } from '../use-cases/save-processor.ts';
import { readInputFile, withGovernanceServices } from './governance-cli-services.ts';

const tenantOption = () => new Option('--tenant <id>', 'tenant').default('default');

/** A DPIA as the API shows it; the use case's view and the SDK's answer are both one. */
type ShownDpia = z.output<typeof dpiaView>;

function renderDpia(view: ShownDpia): string {
  const e = view.evaluation;
  return [
    `${view.current.content.title} — DPIA ${view.id} v${view.current.version} for ${view.activityId}`,
    ...e.risks.map(
      (r) =>
        `  risk ${r.id}: ${r.inherent} → ${r.residual}${r.measures.length ? ` (${r.measures.join('; ')})` : ''}`,
    ),
    `  residual risk: ${e.residualRisk}${e.priorConsultationRequired ? ' — consult the supervisory authority before processing (Art. 36(1))' : ''}`,
    ...(e.missing.length ? [`  missing: ${e.missing.join('; ')}`] : []),
    ...(e.reviewOverdue ? [`  review overdue since ${view.current.content.reviewDate} (Art. 35(11))`] : []),
  ].join('\n');
}

/** `steward governance …`: transfers, the processor register, screenings and DPIAs. */
export function governanceCommand(): Command {
  const governance = new Command('governance').description(
    'transfers, processors, DPIA screenings and DPIAs (GDPR Art. 28, 35, 36, 44–49)',
  );
  governance
    .command('transfers')
    .description('every flow of personal data out of the EEA with its ground')
    .addOption(tenantOption())
    .action(async (options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const report = remote
        ? await remote.call(remote.client.GET('/v1/governance/transfers'))
        : await withGovernanceServices(context, {}, (services) => listTransfers(services, options.tenant));
      const lines = report.flows.map(
        (f) =>
          `${f.lawful ? 'ok     ' : 'NO BASIS'} ${f.system} → ${f.country}${f.recipient ? ` (${f.recipient})` : ''} [${f.route}]: ${f.grounds.join('; ') || 'no adequacy decision and no safeguard'}${f.warnings.map((w) => `\n         warning: ${w}`).join('')}`,
      );
      context.print(
        [
          ...lines,
          `${report.flows.length} flow(s); adequacy list compiled on ${report.adequacyListCompiledOn}.`,
        ].join('\n'),
        report,
      );
    });

  const processor = governance.command('processor').description('the register of processors and recipients');
  processor
    .command('list')
    .addOption(tenantOption())
    .action(async (options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const { items } = remote
        ? await remote.call(remote.client.GET('/v1/governance/processors'))
        : {
            items: await withGovernanceServices(context, {}, (services) =>
              listProcessorRegister(services, options.tenant),
            ),
          };
      context.print(
        items
          .map(
            (p) =>
              `${p.id}  ${p.name} (${p.role}) ${p.countries.join(',')}  DPA: ${p.dpa ? p.dpa.signedOn : 'none'}${p.mechanism ? `  ${p.mechanism.kind}` : ''}`,
          )
          .join('\n') || 'The register is empty.',
        { items },
      );
    });
  processor
    .command('set')
    .description(
      'add or replace an entry from a YAML or JSON file (name, role, countries, dpa, mechanism, tia…)',
    )
    .argument('<id>', 'lowercase id, e.g. payment-service-provider')
    .requiredOption('-f, --file <file>')
    .addOption(tenantOption())
    .action(async (id: string, options: { file: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      processorIdParams.parse({ id });
      const body = readInputFile(options.file, processorBody);
      const remote = context.remote();
      const saved = remote
        ? await remote.call(
            remote.client.PUT('/v1/governance/processors/{id}', { params: { path: { id } }, body }),
          )
        : await withGovernanceServices(context, {}, (services) =>
            saveProcessor(services, options.tenant, { id, ...body }, OPERATOR_ACTOR),
          );
      context.print(`Saved ${saved.name} (${saved.id}).`, saved);
    });
  processor
    .command('remove')
    .argument('<id>')
    .addOption(tenantOption())
    .action(async (id: string, options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      if (remote)
        await remote.call(
          remote.client.DELETE('/v1/governance/processors/{id}', { params: { path: { id } } }),
        );
      else
        await withGovernanceServices(context, {}, (services) =>
          removeProcessor(services, options.tenant, id, OPERATOR_ACTOR),
        );
      context.print(`Removed ${id}.`, { id });
    });

  const screening = governance
    .command('screening')
    .description('WP248 screening: two or more criteria → DPIA required');
  screening
    .command('list')
    .addOption(tenantOption())
    .action(async (options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const { items } = remote
        ? await remote.call(remote.client.GET('/v1/governance/screenings'))
        : {
            items: await withGovernanceServices(context, {}, (services) =>
              listScreenings(services, options.tenant),
            ),
          };
      context.print(
        items
          .map(
            (s) =>
              `${s.dpiaRequired ? (s.hasDpia ? 'DPIA done    ' : 'DPIA REQUIRED') : 'no DPIA      '} ${s.activityId} (${s.metCount} of 9)${s.reasons.map((r) => `\n    ${r}`).join('')}${s.reopenedBy.length ? `\n    reopened by: ${s.reopenedBy.join(', ')}` : ''}`,
          )
          .join('\n'),
        { items },
      );
    });
  screening
    .command('answer')
    .description(
      'answer criteria by hand from a YAML or JSON file: { answers: [{ criterion, met, reason }] }',
    )
    .argument('<activity>', 'e.g. controller:analytics.reporting')
    .requiredOption('-f, --file <file>')
    .addOption(tenantOption())
    .action(async (activityId: string, options: { file: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const { answers } = readInputFile(options.file, screeningBody);
      const remote = context.remote();
      const result = remote
        ? await remote.call(
            remote.client.PUT('/v1/governance/screenings/{activityId}', {
              params: { path: { activityId } },
              body: { answers: answers as Parameters<typeof recordScreening>[3] },
            }),
          )
        : await withGovernanceServices(context, {}, (services) =>
            recordScreening(
              services,
              options.tenant,
              activityId,
              answers as Parameters<typeof recordScreening>[3],
              OPERATOR_ACTOR,
            ),
          );
      context.print(
        `${activityId}: ${result.metCount} criteria met; DPIA ${result.dpiaRequired ? 'required' : 'not required'}.${result.reasons.map((r) => `\n  ${r}`).join('')}`,
        result,
      );
    });

  const dpia = governance
    .command('dpia')
    .description('data protection impact assessments (Art. 35), versioned');
  dpia
    .command('create')
    .description('start the DPIA of an activity from a YAML or JSON file: { activityId, content }')
    .requiredOption('-f, --file <file>')
    .addOption(tenantOption())
    .action(async (options: { file: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const body = readInputFile(options.file, createDpiaBody);
      const remote = context.remote();
      const view = remote
        ? await remote.call(remote.client.POST('/v1/governance/dpias', { body }))
        : await withGovernanceServices(context, {}, (services) =>
            createDpia(services, options.tenant, body.activityId, body.content, OPERATOR_ACTOR),
          );
      context.print(renderDpia(view), view);
    });
  dpia
    .command('revise')
    .description('save a new version from a YAML or JSON file holding the DPIA content')
    .argument('<id>')
    .requiredOption('-f, --file <file>')
    .addOption(tenantOption())
    .action(async (id: string, options: { file: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const content = readInputFile(options.file, dpiaContentSchema);
      const remote = context.remote();
      const view = remote
        ? await remote.call(
            remote.client.POST('/v1/governance/dpias/{id}/versions', {
              params: { path: { id } },
              body: { content },
            }),
          )
        : await withGovernanceServices(context, {}, (services) =>
            reviseDpia(services, options.tenant, id, content, OPERATOR_ACTOR),
          );
      context.print(renderDpia(view), view);
    });
  dpia
    .command('show')
    .argument('<id>')
    .option('--version <n>', 'an earlier version')
    .addOption(tenantOption())
    .action(async (id: string, options: { version?: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const version =
        options.version === undefined ? undefined : z.coerce.number().int().min(1).parse(options.version);
      const remote = context.remote();
      const view = remote
        ? await remote.call(
            remote.client.GET('/v1/governance/dpias/{id}', {
              params: { path: { id }, query: version === undefined ? {} : { version } },
            }),
          )
        : await withGovernanceServices(context, {}, (services) =>
            readDpia(services, options.tenant, id, version),
          );
      context.print(renderDpia(view), view);
    });
  return governance;
}
