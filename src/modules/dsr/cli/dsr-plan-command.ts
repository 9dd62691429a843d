import type { DataMapRegistry } from '../../../platform/datamap/datamap-types.ts';
import { Command } from 'commander';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import { ConnectorRegistry } from '../../../platform/connectors/connector-registry.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { estimatePlanRows } from '../use-cases/execution/estimate-plan-rows.ts';
import { readPlanFacts } from '../use-cases/execution/read-plan-facts.ts';
import { ambiguousRectifications } from '../use-cases/execution/check-rectification-rows.ts';
import type { Correction, DsrPlan } from '../core/planning/dsr-plan.ts';
import { planAccess } from '../core/planning/plan-access.ts';
import { planErasure } from '../core/planning/plan-erasure.ts';
import { planRectification } from '../core/planning/plan-rectification.ts';
import { renderPlan } from '../core/planning/render-plan.ts';
import { parseRowSelectors } from './parse-row-selectors.ts';

interface PlanOptions {
  type: string;
  email?: string[];
  identity?: string[];
  set?: string[];
  tenant: string;
  estimate?: boolean;
  catalog: boolean;
  row?: string[];
  allRows?: boolean;
  demo?: boolean;
}

/** `steward dsr plan`: what a request would read or change, without running it. */
export function dsrPlanCommand(): Command {
  return new Command('plan')
    .description(
      'show the plan of a request (graph, statements with placeholders, row estimates) without running it',
    )
    .option('-t, --type <type>', 'access, erasure or rectification', 'access')
    .option('-e, --email <email...>', 'email address(es) of the data subject')
    .option('-i, --identity <name=value...>', 'other identities, e.g. user_id=42 or phone=+4930123456')
    .option(
      '-s, --set <target=value...>',
      'rectification: a data category, identity:<name> or system.collection.field, and its new value',
    )
    .option('--tenant <id>', 'tenant whose data map is used', 'default')
    .option(
      '--row <collection:column=value...>',
      'rectification: the row(s) to correct where the subject has several, by primary key, e.g. addresses:id=100',
    )
    .option('--all-rows', 'rectification: correct every row of the subject where there are several')
    .option('--estimate', 'count the rows per step on the live systems (reads keys only)')
    .option(
      '--no-catalog',
      "plan from the data map alone, without reading the systems' catalogs (keys, nullability, foreign keys)",
    )
    .option('--demo', 'include the demo shop (created on first use)')
    .action(async (options: PlanOptions, command: Command) => {
      const context = cliContext(command);
      // The demo shop's data map and connection exist once the demo is prepared, which needs
      // Steward's database; without --demo the plan reads the data map files alone, as before.
      if (options.demo)
        return context.withServices(
          { demo: true, preparesDemoShop: true, enqueuesJobs: false },
          (services: { dataMaps: DataMapRegistry }) => planAndPrint(context, services.dataMaps, options),
        );
      return planAndPrint(context, context.dataMaps<DataMapRegistry>(), options);
    });
}

async function planAndPrint(
  context: CliContext,
  dataMaps: DataMapRegistry,
  options: PlanOptions,
): Promise<void> {
  const dataMap = dataMaps.forTenant(options.tenant).dataMap;
  if (!dataMap.systems.length)
    throw new InvalidInput(
      'dsr.empty_datamap',
      `The data map of tenant ${options.tenant} declares no system, so there is nothing to plan (steward datamap show says what it holds; the demo shop needs --demo).`,
    );
  const identities = parseIdentities(options);
  if (!['access', 'erasure', 'rectification'].includes(options.type))
    throw new InvalidInput(
      'dsr.plan_type',
      `--type must be access, erasure or rectification, not "${options.type}".`,
    );
  const connectors = new ConnectorRegistry();
  let plan: DsrPlan;
  try {
    const facts = options.catalog
      ? await readPlanFacts(dataMap, {
          connectorFor: (system) => connectors.forSystem(options.tenant, system),
        })
      : undefined;
    if (options.type === 'access') plan = planAccess(dataMap, identities, facts);
    else if (options.type === 'erasure') plan = planErasure(dataMap, identities, {}, facts);
    else
      plan = planRectification(
        dataMap,
        identities,
        parseCorrections(options.set ?? [], rowsOf(options)),
        facts,
      );
    if (plan.kind === 'rectification' && options.catalog && !plan.errors.length) {
      const ambiguous = await ambiguousRectifications(plan, (id) =>
        connectors.forSystem(
          options.tenant,
          dataMap.systems.find((s) => s.id === id)!,
        ),
      );
      plan.errors.push(...ambiguous.map((message) => ({ code: 'rectification.ambiguous_rows', message })));
    }
  } finally {
    await connectors.closeAll();
  }
  if (options.estimate) {
    const connectors = new ConnectorRegistry();
    const spinner = context.spinner('Counting rows on the live systems').start();
    try {
      for (const system of plan.systems) {
        const definition = dataMap.systems.find((s) => s.id === system.system)!;
        plan = await estimatePlanRows(plan, system.system, connectors.forSystem(options.tenant, definition));
      }
    } finally {
      spinner.stop();
      await connectors.closeAll();
    }
  }
  context.print(renderPlan(plan), plan);
  // A plan with errors would not run: say so with the exit code too, so scripts do not go on.
  if (plan.errors.length)
    throw new InvalidInput(
      'dsr.plan_has_errors',
      `The plan has ${plan.errors.length} error${plan.errors.length === 1 ? '' : 's'} (listed above); a request with it would be refused.`,
    );
}

/** `--row addresses:id=100` (composite keys: `order_items:order_id=10,line_no=2`) or `--all-rows`. */
function rowsOf(options: PlanOptions): Correction['rows'] {
  return parseRowSelectors(options.row, options.allRows);
}

function parseIdentities(options: PlanOptions): Record<string, string[]> {
  const identities: Record<string, string[]> = {};
  if (options.email?.length) identities.email = options.email;
  for (const pair of options.identity ?? []) {
    const [name, ...rest] = pair.split('=');
    if (!name || !rest.length)
      throw new InvalidInput(
        'dsr.bad_identity',
        `--identity takes name=value, e.g. user_id=42; got "${pair}".`,
      );
    (identities[name] ??= []).push(rest.join('='));
  }
  if (!Object.keys(identities).length)
    throw new InvalidInput('dsr.no_identity', 'Give the data subject with --email or --identity name=value.');
  return identities;
}

function parseCorrections(pairs: string[], rows?: Correction['rows']): Correction[] {
  if (!pairs.length)
    throw new InvalidInput(
      'dsr.no_correction',
      'A rectification plan needs at least one --set target=value, e.g. --set user.name=Ann.',
    );
  return pairs.map((pair) => {
    const [target, ...rest] = pair.split('=');
    if (!target || !rest.length)
      throw new InvalidInput('dsr.bad_correction', `--set takes target=value; got "${pair}".`);
    const value = rest.join('=');
    const selection = rows ? { rows } : {};
    if (target.startsWith('identity:'))
      return { target: { identity: target.slice('identity:'.length) }, value, ...selection };
    const parts = target.split('.');
    // system.collection.field names one field; anything else is a data category (user.name.first).
    if (parts.length === 3 && !target.startsWith('user.') && !target.startsWith('system.'))
      return { target: { system: parts[0]!, collection: parts[1]!, field: parts[2]! }, value, ...selection };
    return { target: { category: target }, value, ...selection };
  });
}
