import { Command, Option } from 'commander';
import { OPERATOR_ACTOR } from '../../../../platform/auth/operator-database.ts';
import { cliContext, type CliContext } from '../../../../kernel/cli/cli-context.ts';
import type { RemoteApi } from '../../../../kernel/cli/remote-api.ts';
import { Conflict, InvalidInput, isDomainError } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { Correction } from '../../core/planning/index.ts';
import { extendRequest } from './extend-request.ts';
import { listRequests, readRequestDetail } from './read-requests.ts';
import { approveRequest, cancelRequest, denyRequest, type DecisionContext } from './request-decisions.ts';
import type { RequestRow } from './request-record.ts';
import { REQUEST_STATES, type RequestState } from './request-states.ts';
import { REGIMES, SUBMITTABLE_TYPES, type Regime, type SubmittableType } from './request-types.ts';
import { detailView, summaryView } from './request-views.ts';
import { submitRequest } from './submit-request.ts';
import { renderRequestResult } from './render-request-result.ts';
import { parseRowSelectors } from '../../cli/parse-row-selectors.ts';

/**
 * `steward dsr submit|status|approve|deny|extend|cancel`: the operator's side of the request
 * lifecycle, acting as the CLI operator (a system actor in the audit log). The commands record and
 * decide; executing steps and sending mail is the workers' job (`steward serve` or `steward worker`).
 */
export function requestCommands(): Command[] {
  return [
    submitCommand(),
    statusCommand(),
    approveCommand(),
    denyCommand(),
    extendCommand(),
    cancelCommand(),
  ];
}

const tenantOption = () => new Option('--tenant <id>', 'tenant of the request').default('default');

interface SubmitOptions {
  type: SubmittableType;
  regime?: Regime;
  email?: string;
  identity?: string[];
  contact?: string;
  set?: string[];
  row?: string[];
  allRows?: boolean;
  system?: string[];
  verified?: boolean;
  receivedAt?: string;
  linkDuplicate?: boolean;
  tenant: string;
}

function submitCommand(): Command {
  return new Command('submit')
    .description(
      'record a request received by an agent (mail, phone, letter); without --verified a one-time code is mailed to --email',
    )
    .addOption(
      new Option('-t, --type <type>', 'the right exercised').choices(SUBMITTABLE_TYPES).makeOptionMandatory(),
    )
    .addOption(
      new Option('--regime <regime>', 'deadlines to apply (default: gdpr, or ccpa for CCPA types)').choices(
        REGIMES,
      ),
    )
    .option('-e, --email <email>', 'email address of the data subject')
    .option('-i, --identity <name=value...>', 'other identities, e.g. user_id=42 or phone=+4930123456')
    .option('--contact <email>', 'where notices and results go (default: --email)')
    .option(
      '-s, --set <target=value...>',
      'rectification: a data category, identity:<name> or system.collection.field, and its new value',
    )
    .option(
      '--row <collection:column=value...>',
      'rectification: the row(s) to correct where the subject has several, by primary key, e.g. addresses:id=100',
    )
    .option('--all-rows', 'rectification: correct every row of the subject where there are several')
    .option('--system <id...>', 'limit the request to these systems')
    .option('--verified', "you verified the subject's identity yourself; no code is sent")
    .option('--received-at <iso>', 'when the request arrived, if earlier (ISO 8601)')
    .option('--link-duplicate', 'record it even if an open request of this type exists for the subject')
    .addOption(tenantOption())
    .action(async (options: SubmitOptions, command: Command) => {
      const context = cliContext(command);
      const identities = parseIdentities(options);
      const receivedAt = options.receivedAt ? parseDate(options.receivedAt) : undefined;
      const input = {
        type: options.type,
        ...(options.regime ? { regime: options.regime } : {}),
        identities,
        ...(options.contact ? { contactEmail: options.contact } : {}),
        ...(options.set
          ? { corrections: parseCorrections(options.set, parseRowSelectors(options.row, options.allRows)) }
          : {}),
        ...(options.system ? { scope: { systems: options.system } } : {}),
        ...(options.verified ? { identityVerified: true } : {}),
        ...(options.linkDuplicate ? { onDuplicate: 'link' as const } : {}),
      };
      const remote = context.remote();
      const view = await (
        remote
          ? remote.call(
              remote.client.POST('/v1/requests', {
                body: { ...input, ...(receivedAt ? { receivedAt: receivedAt.toISOString() } : {}) },
              }),
            )
          : context.withServices({}, async (services: DsrServices) =>
              summaryView(
                await submitRequest(
                  services,
                  { ...input, ...(receivedAt ? { receivedAt } : {}) },
                  { tenantId: options.tenant, actor: OPERATOR_ACTOR, agent: true },
                ),
              ),
            )
      ).catch((error: unknown) => {
        throw duplicateInCliTerms(error);
      });
      context.print(
        `Recorded ${view.regime.toUpperCase()} ${view.regimeType} request ${view.id}: ${view.state}, due ${view.dueAt.slice(0, 10)}.`,
        view,
      );
    });
}

/** The duplicate refusal names the API's `onDuplicate` option; on the command line it is --link-duplicate. */
function duplicateInCliTerms(error: unknown): unknown {
  if (!isDomainError(error) || error.code !== 'dsr.duplicate') return error;
  const existing = error.details?.existingRequestId;
  return new Conflict(
    error.code,
    `An open request of this type for this data subject already exists${typeof existing === 'string' ? ` (${existing})` : ''}; it is being handled. Add --link-duplicate to record this one anyway, linked to it.`,
    error.details,
  );
}

function statusCommand(): Command {
  return new Command('status')
    .description('one request (history, steps, result) or a list of requests')
    .argument('[id]', 'the request id; without it, requests are listed')
    .addOption(new Option('--state <state...>', 'list only these states').choices(REQUEST_STATES))
    .option('--overdue', 'list only open requests past their deadline')
    .option('--limit <n>', 'at most this many', '50')
    .addOption(tenantOption())
    .action(
      async (
        id: string | undefined,
        options: { state?: RequestState[]; overdue?: boolean; limit: string; tenant: string },
        command: Command,
      ) => {
        const context = cliContext(command);
        const limit = Number(options.limit);
        if (!id && (!Number.isInteger(limit) || limit < 1 || limit > 1000))
          throw new InvalidInput('dsr.bad_limit', '--limit must be a whole number from 1 to 1000.');
        const remote = context.remote();
        if (id) {
          const view = remote
            ? await remote.call(remote.client.GET('/v1/requests/{id}', { params: { path: { id } } }))
            : await context.withServices({}, async (services: DsrServices) =>
                detailView(await readRequestDetail(services, options.tenant, id, OPERATOR_ACTOR)),
              );
          context.print(describeDetail(view), view);
          return;
        }
        const filters = {
          limit,
          ...(options.state ? { state: options.state } : {}),
          ...(options.overdue ? { overdue: true } : {}),
        };
        const items = remote
          ? (
              await remote.call(
                remote.client.GET('/v1/requests', {
                  params: {
                    query: {
                      limit,
                      ...(options.state ? { state: options.state.join(',') } : {}),
                      ...(options.overdue ? { overdue: 'true' as const } : {}),
                    },
                  },
                }),
              )
            ).items
          : await context.withServices({}, async (services: DsrServices) =>
              (await listRequests(services.database.db, options.tenant, filters)).items.map((row) =>
                summaryView(row),
              ),
            );
        const lines = items.map(
          (r) =>
            `${r.id}  ${r.type.padEnd(13)} ${r.regime.padEnd(4)} ${r.state.padEnd(19)} due ${r.dueAt.slice(0, 10)}${r.overdue ? '  OVERDUE' : ''}`,
        );
        context.print(lines.length ? lines.join('\n') : 'No requests match.', { items });
      },
    );
}

function approveCommand(): Command {
  return new Command('approve')
    .description('approve a verified request awaiting approval; execution starts')
    .argument('<id>', 'the request id')
    .option('--note <text>', 'recorded with the approval')
    .addOption(tenantOption())
    .action(async (id: string, options: { note?: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      if (remote) {
        const request = await remote.call(
          remote.client.GET('/v1/requests/{id}', { params: { path: { id } } }),
        );
        await confirmErasureApproval(context, request);
        const body = options.note ? { note: options.note } : {};
        printDecision(
          context,
          await remote.call(
            remote.client.POST('/v1/requests/{id}/approve', { params: { path: { id } }, body }),
          ),
        );
        return;
      }
      await context.withServices({}, async (services: DsrServices) => {
        await confirmErasureApproval(
          context,
          detailView(await readRequestDetail(services, options.tenant, id, OPERATOR_ACTOR)),
        );
        const decision = { tenantId: options.tenant, actor: OPERATOR_ACTOR };
        printDecision(context, summaryView(await approveRequest(services, id, decision, options.note)));
      });
    });
}

/**
 * Approving an erasure starts deleting and anonymising the subject's data in every system of the
 * plan: the operator confirms it (or passes --yes), told what the request covers.
 */
async function confirmErasureApproval(
  context: CliContext,
  request: Pick<ReturnType<typeof summaryView>, 'id' | 'type' | 'regime' | 'regimeType' | 'scope'>,
): Promise<void> {
  if (!ERASING_TYPES.has(request.type)) return;
  const systems = request.scope?.systems?.length
    ? `the systems ${request.scope.systems.join(', ')}`
    : 'every system of the data map';
  await context.confirm(
    `Approving ${request.regime.toUpperCase()} ${request.regimeType} request ${request.id} starts erasing the data subject's personal data in ${systems}. This cannot be undone.`,
  );
}

const ERASING_TYPES = new Set(['erasure', 'delete']);

function denyCommand(): Command {
  return new Command('deny')
    .description('deny a request before execution; the requester is told the reason')
    .argument('<id>', 'the request id')
    .requiredOption('--reason <text>', 'why (GDPR Art. 12(4))')
    .addOption(tenantOption())
    .action(async (id: string, options: { reason: string; tenant: string }, command: Command) => {
      await decide(
        command,
        options.tenant,
        (services, context) => denyRequest(services, id, context, options.reason),
        (api) =>
          api.call(
            api.client.POST('/v1/requests/{id}/deny', {
              params: { path: { id } },
              body: { reason: options.reason },
            }),
          ),
      );
    });
}

function extendCommand(): Command {
  return new Command('extend')
    .description(
      'extend the deadline (GDPR: up to two further months; CCPA: once by 45 days); the requester is told why',
    )
    .argument('<id>', 'the request id')
    .requiredOption('--reason <text>', 'why more time is needed')
    .option('--months <n>', 'GDPR only: 1 or 2 further months')
    .addOption(tenantOption())
    .action(
      async (id: string, options: { reason: string; months?: string; tenant: string }, command: Command) => {
        const months = options.months === undefined ? undefined : Number(options.months);
        const body = { reason: options.reason, ...(months !== undefined ? { months } : {}) };
        await decide(
          command,
          options.tenant,
          (services, context) => extendRequest(services, id, context, body),
          (api) => api.call(api.client.POST('/v1/requests/{id}/extend', { params: { path: { id } }, body })),
        );
      },
    );
}

function cancelCommand(): Command {
  return new Command('cancel')
    .description('cancel a request that has not started executing')
    .argument('<id>', 'the request id')
    .option('--reason <text>', 'why')
    .addOption(tenantOption())
    .action(async (id: string, options: { reason?: string; tenant: string }, command: Command) => {
      await decide(
        command,
        options.tenant,
        (services, context) => cancelRequest(services, id, context, options.reason),
        (api) =>
          api.call(
            api.client.POST('/v1/requests/{id}/cancel', {
              params: { path: { id } },
              body: options.reason ? { reason: options.reason } : {},
            }),
          ),
      );
    });
}

/** A decision on a request, locally on the database or through the API in remote mode; printed alike. */
async function decide(
  command: Command,
  tenantId: string,
  action: (services: DsrServices, context: DecisionContext) => Promise<RequestRow>,
  remoteAction: (api: RemoteApi) => Promise<ReturnType<typeof summaryView>>,
): Promise<void> {
  const context = cliContext(command);
  const remote = context.remote();
  const view = remote
    ? await remoteAction(remote)
    : await context.withServices({}, async (services: DsrServices) =>
        summaryView(await action(services, { tenantId, actor: OPERATOR_ACTOR })),
      );
  printDecision(context, view);
}

function printDecision(context: CliContext, view: ReturnType<typeof summaryView>): void {
  context.print(
    `Request ${view.id}: ${view.state}, due ${view.dueAt.slice(0, 10)}${view.outcomeReason ? ` (${view.outcomeReason})` : ''}.`,
    view,
  );
}

function describeDetail(view: ReturnType<typeof detailView>): string {
  const lines = [
    `Request ${view.id}: ${view.regime.toUpperCase()} ${view.regimeType} (${view.type}), ${view.state}`,
    `  received ${view.receivedAt}, due ${view.dueAt}${view.overdue ? ' (OVERDUE)' : ''}${view.extension ? `, extended by ${view.extension.amount} ${view.extension.unit}: ${view.extension.reason}` : ''}`,
    `  identities: ${view.identities.map((i) => `${i.name}${i.value === null ? ' (minimised)' : ''}`).join(', ')}`,
    ...(view.outcomeReason ? [`  outcome: ${view.outcomeReason}`] : []),
    '  history:',
    ...view.history.map(
      (h) =>
        `    ${h.at}  ${h.event.padEnd(20)} ${h.from ?? '-'} → ${h.to}  by ${h.actor.kind}:${h.actor.id}${h.reason ? `  (${h.reason})` : ''}`,
    ),
    ...(view.steps.length
      ? [
          '  steps:',
          ...view.steps.map(
            (s) =>
              `    ${s.step.padEnd(24)} ${s.status.padEnd(10)} attempts ${s.attempts}${s.error ? `  ${s.error}` : ''}`,
          ),
        ]
      : []),
    ...(view.package
      ? [
          `  package: ${view.package.rows} rows in ${view.package.collections} collections, expires ${view.package.expiresAt}${view.package.deletedAt ? ' (deleted)' : ''}`,
        ]
      : []),
    ...renderRequestResult(view.steps),
  ];
  return lines.join('\n');
}

function parseIdentities(options: SubmitOptions): Record<string, string> {
  const identities: Record<string, string> = {};
  if (options.email) identities.email = options.email;
  for (const pair of options.identity ?? []) {
    const [name, ...rest] = pair.split('=');
    if (!name || !rest.length)
      throw new InvalidInput(
        'dsr.bad_identity',
        `--identity takes name=value, e.g. user_id=42; got "${pair}".`,
      );
    identities[name] = rest.join('=');
  }
  return identities;
}

function parseCorrections(pairs: string[], rows: Correction['rows']): Correction[] {
  return pairs.map((pair) => {
    const [target, ...rest] = pair.split('=');
    if (!target || !rest.length)
      throw new InvalidInput('dsr.bad_correction', `--set takes target=value; got "${pair}".`);
    const value = rest.join('=');
    const selection = rows ? { rows } : {};
    if (target.startsWith('identity:'))
      return { target: { identity: target.slice('identity:'.length) }, value, ...selection };
    const parts = target.split('.');
    // system.collection.field names one field; anything else is a data category (user.name.first), as in `dsr plan`.
    if (parts.length === 3 && !target.startsWith('user.') && !target.startsWith('system.'))
      return { target: { system: parts[0]!, collection: parts[1]!, field: parts[2]! }, value, ...selection };
    return { target: { category: target }, value, ...selection };
  });
}

function parseDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new InvalidInput(
      'dsr.bad_date',
      `--received-at must be an ISO 8601 date or time, e.g. 2027-03-01T09:00:00Z; got "${text}".`,
    );
  return date;
}
