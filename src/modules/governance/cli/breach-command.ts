import { Command, Option } from 'commander';
import type { z } from 'zod';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { OPERATOR_ACTOR } from '../../../platform/auth/operator-database.ts';
import type { Rating } from '../core/breach-assessment.ts';
import {
  assessBreachBody,
  breachView,
  createBreachBody,
  notificationBody,
  updateBreachBody,
} from '../http/governance-schemas.ts';
import { assessBreach } from '../use-cases/assess-breach.ts';
import { closeBreach } from '../use-cases/close-breach.ts';
import { draftBreachNotice } from '../use-cases/draft-breach-notice.ts';
import { listBreachRegister } from '../use-cases/list-registers.ts';
import { readBreachView } from '../use-cases/read-breach.ts';
import { recordBreach } from '../use-cases/record-breach.ts';
import { recordBreachNotification } from '../use-cases/record-breach-notification.ts';
import { recountBreachSubjects } from '../use-cases/recount-breach-subjects.ts';
import { sendBreachReminders } from '../use-cases/send-breach-reminders.ts';
import { updateBreachFacts } from '../use-cases/update-breach.ts';
import { readInputFile, withGovernanceServices, writeDocument } from './governance-cli-services.ts';

const tenantOption = () => new Option('--tenant <id>', 'tenant of the breach register').default('default');

/** A breach as the API shows it; the use case's view and the SDK's answer are both one. */
type ShownBreach = z.output<typeof breachView>;

/** Several lines a DPO reads at a glance: the clock first. */
export function renderBreach(view: ShownBreach): string {
  const clock = {
    running: `${view.clock.hoursLeft} h left: notify the authority by ${view.clock.deadlineLocal}`,
    overdue: `OVERDUE by ${Math.abs(view.clock.hoursLeft ?? 0)} h (deadline ${view.clock.deadlineLocal})${view.clock.delayReasonRequired ? ': give the reasons for the delay' : ''}`,
    met: `authority notified within 72 hours (deadline ${view.clock.deadlineLocal})`,
    late: `authority notified after the deadline ${view.clock.deadlineLocal}${view.clock.delayReasonRequired ? ': reasons for the delay missing' : ''}`,
    not_required: 'no notification required (unlikely to result in a risk, Art. 33(1))',
  }[view.clock.state];
  return [
    `${view.title} [${view.state}] ${view.id}`,
    `  aware:     ${view.clock.awareLocal}`,
    `  clock:     ${clock}`,
    `  affected:  ${view.affected.map((a) => `${a.system}.${a.collection}`).join(', ')} · ${view.count ? `${view.count.subjects.toLocaleString('en-US')} subjects, ${view.count.records.toLocaleString('en-US')} records (counted ${view.count.countedAt})` : 'not counted yet (steward breach count)'}`,
    `  decision:  ${view.decision ? `${view.decision.level}: authority ${view.decision.notifyAuthority ? 'yes' : 'no'}, subjects ${view.decision.notifySubjects ? 'yes' : view.decision.publicCommunication ? 'public communication' : 'no'}` : 'not assessed yet (steward breach assess)'}`,
    ...view.notifications.map(
      (n) => `  notified:  ${n.audience} ${n.phase} ${n.sentAt}${n.reference ? ` (${n.reference})` : ''}`,
    ),
    ...(view.missing.length ? [`  missing:   ${view.missing.join('; ')}`] : []),
  ].join('\n');
}

function rating(name: string, value: string): Rating {
  const n = Number(value);
  if (![1, 2, 3, 4].includes(n))
    throw new InvalidInput('governance.bad_rating', `${name} must be 1, 2, 3 or 4 (got "${value}").`);
  return n as Rating;
}

/** `steward breach …`: the breach register (GDPR Art. 33/34) and its 72-hour clock. */
export function breachCommand(): Command {
  const breach = new Command('breach').description(
    'the breach register (GDPR Art. 33/34): record, count, assess, notify, close',
  );
  breach
    .command('list')
    .description('breaches, newest first')
    .addOption(new Option('--state <state>').choices(['open', 'closed']))
    .addOption(tenantOption())
    .action(async (options: { state?: 'open' | 'closed'; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const { items } = remote
        ? await remote.call(
            remote.client.GET('/v1/governance/breaches', {
              params: { query: options.state ? { state: options.state } : {} },
            }),
          )
        : {
            items: await withGovernanceServices(context, {}, (services) =>
              listBreachRegister(services, options.tenant, options.state),
            ),
          };
      context.print(
        items.length
          ? items.map((b) => `${b.id}  ${b.state.padEnd(6)}  aware ${b.awareAt}  ${b.title}`).join('\n')
          : 'No breaches recorded.',
        { items },
      );
    });
  breach
    .command('show')
    .argument('<id>')
    .addOption(tenantOption())
    .action(async (id: string, options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const view = remote
        ? await remote.call(remote.client.GET('/v1/governance/breaches/{id}', { params: { path: { id } } }))
        : await withGovernanceServices(context, {}, (services) =>
            readBreachView(services, options.tenant, id),
          );
      context.print(renderBreach(view), view);
    });
  breach
    .command('record')
    .description(
      'record a breach from a YAML or JSON file (title, description, nature, awareAt, affected, contact…)',
    )
    .requiredOption('-f, --file <file>', 'the breach, in the shape of POST /v1/governance/breaches')
    .addOption(tenantOption())
    .option('--demo', 'include the demo shop (its collections may be affected)')
    .action(async (options: { file: string; tenant: string; demo?: boolean }, command: Command) => {
      const context = cliContext(command);
      const input = readInputFile(options.file, createBreachBody);
      const remote = context.remote({ '--demo': options.demo });
      const view = remote
        ? await remote.call(remote.client.POST('/v1/governance/breaches', { body: input }))
        : await withGovernanceServices(context, options, async (services) => {
            const { awareAt, occurredAt, detectedAt, ...rest } = input;
            const created = await recordBreach(
              services,
              options.tenant,
              {
                ...rest,
                awareAt: new Date(awareAt),
                ...(occurredAt ? { occurredAt: new Date(occurredAt) } : {}),
                ...(detectedAt ? { detectedAt: new Date(detectedAt) } : {}),
              },
              OPERATOR_ACTOR,
            );
            return readBreachView(services, options.tenant, created.id);
          });
      context.print(renderBreach(view), view);
    });
  breach
    .command('update')
    .description(
      'complete or correct the facts from a YAML or JSON file (measures, likelyConsequences, delayReason…)',
    )
    .argument('<id>')
    .requiredOption('-f, --file <file>')
    .addOption(tenantOption())
    .option('--demo', 'include the demo shop (its collections may be affected)')
    .action(
      async (id: string, options: { file: string; tenant: string; demo?: boolean }, command: Command) => {
        const context = cliContext(command);
        const input = readInputFile(options.file, updateBreachBody);
        const remote = context.remote({ '--demo': options.demo });
        const view = remote
          ? await remote.call(
              remote.client.PATCH('/v1/governance/breaches/{id}', { params: { path: { id } }, body: input }),
            )
          : await withGovernanceServices(context, options, async (services) => {
              const { occurredAt, ...patch } = input;
              await updateBreachFacts(
                services,
                options.tenant,
                id,
                { ...patch, ...(occurredAt ? { occurredAt: new Date(occurredAt) } : {}) },
                OPERATOR_ACTOR,
              );
              return readBreachView(services, options.tenant, id);
            });
        context.print(renderBreach(view), view);
      },
    );
  breach
    .command('count')
    .description('count the affected subjects and records in the real systems')
    .argument('<id>')
    .addOption(tenantOption())
    .option('--demo', 'include the demo shop')
    .action(async (id: string, options: { tenant: string; demo?: boolean }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote({ '--demo': options.demo });
      const view = remote
        ? await remote.call(
            remote.client.POST('/v1/governance/breaches/{id}/count', { params: { path: { id } } }),
          )
        : await withGovernanceServices(context, options, async (services) => {
            await recountBreachSubjects(services, options.tenant, id, OPERATOR_ACTOR);
            return readBreachView(services, options.tenant, id);
          });
      context.print(renderBreach(view), view);
    });
  breach
    .command('assess')
    .description('rate likelihood and severity (1–4 each); decides authority and subject notification')
    .argument('<id>')
    .requiredOption('--likelihood <1-4>')
    .requiredOption('--severity <1-4>')
    .option('--unintelligible <why>', 'Art. 34(3)(a): the data was unintelligible (e.g. encrypted, key safe)')
    .option('--no-longer-likely <why>', 'Art. 34(3)(b): later measures make the high risk no longer likely')
    .option('--public-communication <how>', 'Art. 34(3)(c): individual notices need disproportionate effort')
    .addOption(tenantOption())
    .action(
      async (
        id: string,
        options: {
          likelihood: string;
          severity: string;
          unintelligible?: string;
          noLongerLikely?: string;
          publicCommunication?: string;
          tenant: string;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const risk = assessBreachBody.parse({
          likelihood: rating('--likelihood', options.likelihood),
          severity: rating('--severity', options.severity),
          exceptions: {
            ...(options.unintelligible ? { unintelligible: options.unintelligible } : {}),
            ...(options.noLongerLikely ? { riskNoLongerLikely: options.noLongerLikely } : {}),
            ...(options.publicCommunication
              ? { disproportionateEffort: { publicCommunication: options.publicCommunication } }
              : {}),
          },
        });
        const remote = context.remote();
        const { decision } = remote
          ? await remote.call(
              remote.client.POST('/v1/governance/breaches/{id}/assessment', {
                params: { path: { id } },
                body: risk,
              }),
            )
          : await withGovernanceServices(context, {}, (services) =>
              assessBreach(services, options.tenant, id, risk, OPERATOR_ACTOR),
            );
        context.print(`${decision!.authorityReason}.\n${decision!.subjectsReason}.`, decision);
      },
    );
  breach
    .command('notify')
    .description('record a notification that was sent (Art. 33(4): initial, follow_up, final)')
    .argument('<id>')
    .addOption(
      new Option('--audience <audience>').choices(['authority', 'subjects', 'public']).makeOptionMandatory(),
    )
    .addOption(new Option('--phase <phase>').choices(['initial', 'follow_up', 'final']).default('initial'))
    .option('--sent-at <instant>', 'when it was sent (ISO 8601); default now')
    .option('--reference <ref>', "the authority's case number or the mailing's id")
    .requiredOption('--summary <text>')
    .addOption(tenantOption())
    .action(
      async (
        id: string,
        options: {
          audience: string;
          phase: string;
          sentAt?: string;
          reference?: string;
          summary: string;
          tenant: string;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const parsed = notificationBody.safeParse({
          audience: options.audience,
          phase: options.phase,
          sentAt: options.sentAt ?? new Date().toISOString(),
          summary: options.summary,
          ...(options.reference ? { reference: options.reference } : {}),
        });
        if (!parsed.success)
          throw new InvalidInput(
            'governance.bad_notification',
            `The notification is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
          );
        const remote = context.remote();
        const view = remote
          ? await remote.call(
              remote.client.POST('/v1/governance/breaches/{id}/notifications', {
                params: { path: { id } },
                body: parsed.data,
              }),
            )
          : await withGovernanceServices(context, {}, async (services) => {
              await recordBreachNotification(services, options.tenant, id, parsed.data, OPERATOR_ACTOR);
              return readBreachView(services, options.tenant, id);
            });
        context.print(renderBreach(view), view);
      },
    );
  breach
    .command('close')
    .argument('<id>')
    .option('--note <text>')
    .addOption(tenantOption())
    .action(async (id: string, options: { note?: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const view = remote
        ? await remote.call(
            remote.client.POST('/v1/governance/breaches/{id}/close', {
              params: { path: { id } },
              body: options.note ? { note: options.note } : {},
            }),
          )
        : await withGovernanceServices(context, {}, async (services) => {
            await closeBreach(services, options.tenant, id, OPERATOR_ACTOR, options.note);
            return readBreachView(services, options.tenant, id);
          });
      context.print(renderBreach(view), view);
    });
  breach
    .command('notice')
    .description('draft the notification to the authority (Art. 33(3)) or the subjects (Art. 34(2))')
    .argument('<id>')
    .addOption(new Option('--audience <audience>').choices(['authority', 'subjects']).default('authority'))
    .addOption(new Option('--format <format>').choices(['pdf', 'html', 'json']).default('pdf'))
    .option('-o, --output <file>', 'write to this file (default for pdf: breach-<id>-<audience>.pdf)')
    .addOption(tenantOption())
    .action(
      async (
        id: string,
        options: {
          audience: 'authority' | 'subjects';
          format: 'pdf' | 'html' | 'json';
          output?: string;
          tenant: string;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        const remote = context.remote();
        const document = remote
          ? await remote.document(
              remote.client.GET('/v1/governance/breaches/{id}/notices/{audience}', {
                params: { path: { id, audience: options.audience }, query: { format: options.format } },
                parseAs: 'arrayBuffer',
              }),
            )
          : await withGovernanceServices(
              context,
              {},
              async (services) =>
                (await draftBreachNotice(services, options.tenant, id, options.audience, options.format))
                  .document,
            );
        writeDocument(
          context,
          document.body,
          options.output ?? (options.format === 'pdf' ? document.filename : undefined),
          `${options.audience} notice (${options.format})`,
        );
      },
    );
  breach
    .command('remind')
    .description('send the due deadline reminders now (the scheduled job does this every minute)')
    .action(async (_options: object, command: Command) => {
      const context = cliContext(command);
      await withGovernanceServices(context, {}, async (services) => {
        const result = await sendBreachReminders(services);
        context.print(`${result.sent} reminder(s) sent.`, result);
      });
    });
  return breach;
}
