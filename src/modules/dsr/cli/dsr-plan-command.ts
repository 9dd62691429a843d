import { Command } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { ConnectorRegistry } from '../../../platform/connectors/connector-registry.ts';
import { loadDataMapFromConfig } from '../../../platform/datamap/load-datamap-from-config.ts';
import { demoDataMapPaths } from '../../demo/shop/demo-shop-settings.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { estimatePlanRows } from '../use-cases/execution/estimate-plan-rows.ts';
import type { Correction, DsrPlan } from '../core/planning/dsr-plan.ts';
import { planAccess } from '../core/planning/plan-access.ts';
import { planErasure } from '../core/planning/plan-erasure.ts';
import { planRectification } from '../core/planning/plan-rectification.ts';
import { renderPlan } from '../core/planning/render-plan.ts';

interface PlanOptions {
  type: string;
  email?: string[];
  identity?: string[];
  set?: string[];
  tenant: string;
  estimate?: boolean;
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
    .option('--estimate', 'count the rows per step on the live systems (reads keys only)')
    .action(async (options: PlanOptions, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig();
      const dataMap = loadDataMapFromConfig(config, context.logger(), demoDataMapPaths(config)).forTenant(
        options.tenant,
      ).dataMap;
      const identities = parseIdentities(options);
      let plan: DsrPlan;
      if (options.type === 'access') plan = planAccess(dataMap, identities);
      else if (options.type === 'erasure') plan = planErasure(dataMap, identities);
      else if (options.type === 'rectification')
        plan = planRectification(dataMap, identities, parseCorrections(options.set ?? []));
      else
        throw new InvalidInput(
          'dsr.plan_type',
          `--type must be access, erasure or rectification, not "${options.type}".`,
        );
      if (options.estimate) {
        const connectors = new ConnectorRegistry();
        const spinner = context.spinner('Counting rows on the live systems').start();
        try {
          for (const system of plan.systems) {
            const definition = dataMap.systems.find((s) => s.id === system.system)!;
            plan = await estimatePlanRows(
              plan,
              system.system,
              connectors.forSystem(options.tenant, definition),
            );
          }
        } finally {
          spinner.stop();
          await connectors.closeAll();
        }
      }
      context.print(renderPlan(plan), plan);
    });
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

function parseCorrections(pairs: string[]): Correction[] {
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
    if (target.startsWith('identity:'))
      return { target: { identity: target.slice('identity:'.length) }, value };
    const parts = target.split('.');
    // system.collection.field names one field; anything else is a data category (user.name.first).
    if (parts.length === 3 && !target.startsWith('user.') && !target.startsWith('system.'))
      return { target: { system: parts[0]!, collection: parts[1]!, field: parts[2]! }, value };
    return { target: { category: target }, value };
  });
}
