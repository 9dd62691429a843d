import { Cron } from 'croner';
import type { Connector } from '../../../platform/connectors/connector.ts';
import type {
  DataMapCollection,
  DataMapSystem,
  DataMapView,
} from '../../../platform/datamap/datamap-types.ts';
import { collectionTarget } from '../../../platform/connectors/collection-target.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import type { RetentionServices } from '../retention-services.ts';
import { sweepTargets } from './flows/sweep-targets.ts';
import { loadFlows } from './flows/load-flows.ts';
import { planSweep } from '../core/sweep-plan.ts';

export interface ComplianceEntry {
  system: string;
  collection: string;
  /** Personal data categories the collection holds (`user.*`). */
  categories: string[];
  rule: string | null;
  /** The oldest record by the rule's anchor (or the first date field without a rule). */
  oldestRecord: { column: string; at: string; ageDays: number } | null;
  /** Rows due under the rule right now (free of legal holds): what the next sweep would remove. */
  rowsOverdue: number | null;
  /** The next scheduled flow run that sweeps this collection. */
  nextRun: { flowId: string; at: string } | null;
  /** no_rule: personal data kept without a rule; not_scheduled: a rule no flow enforces; not_enforceable: the rule cannot be swept. */
  flag?: 'no_rule' | 'not_scheduled' | 'not_enforceable';
  problems: string[];
}

export interface ComplianceReport {
  tenantId: string;
  generatedAt: string;
  summary: {
    collectionsWithPersonalData: number;
    withRule: number;
    withoutRule: number;
    notScheduled: number;
    rowsOverdue: number;
  };
  collections: ComplianceEntry[];
}

/**
 * GDPR Art. 5(1)(e) and 5(2): for every collection holding personal data, the rule that limits its
 * storage, how old its oldest record is, how many rows are overdue now and when the next sweep runs;
 * collections without a rule are flagged. Reads counts and one anchor value per collection.
 */
export async function buildComplianceReport(
  services: RetentionServices,
  tenantId: string,
  now = new Date(),
): Promise<ComplianceReport> {
  const view = services.dataMaps.forTenant(tenantId);
  const schedule = nextRuns(services, tenantId, now);
  const collections: ComplianceEntry[] = [];
  for (const system of view.dataMap.systems) {
    for (const collection of system.collections) {
      const categories = [
        ...new Set(collection.fields.flatMap((f) => f.categories.filter((c) => c.startsWith('user.')))),
      ].sort();
      if (!categories.length) continue;
      collections.push(await entryFor(services, tenantId, system, collection, categories, schedule, now));
    }
  }
  return {
    tenantId,
    generatedAt: now.toISOString(),
    summary: {
      collectionsWithPersonalData: collections.length,
      withRule: collections.filter((c) => c.rule).length,
      withoutRule: collections.filter((c) => c.flag === 'no_rule').length,
      notScheduled: collections.filter((c) => c.flag === 'not_scheduled').length,
      rowsOverdue: collections.reduce((sum, c) => sum + (c.rowsOverdue ?? 0), 0),
    },
    collections,
  };
}

async function entryFor(
  services: RetentionServices,
  tenantId: string,
  system: DataMapSystem,
  collection: DataMapCollection,
  categories: string[],
  schedule: Map<string, { flowId: string; at: Date }>,
  now: Date,
): Promise<ComplianceEntry> {
  const view = services.dataMaps.forTenant(tenantId);
  const address = { system: system.id, collection: collection.name };
  const next = schedule.get(`${system.id}.${collection.name}`);
  const entry: ComplianceEntry = {
    ...address,
    categories,
    rule: null,
    oldestRecord: null,
    rowsOverdue: null,
    nextRun: next ? { flowId: next.flowId, at: next.at.toISOString() } : null,
    problems: [],
  };
  const plan = collection.retention ? planSweep(view, address, now) : undefined;
  if (plan) entry.rule = plan.ruleText;
  const parent = plan ? undefined : cascadingParent(view, system, collection);
  if (parent) entry.rule = `removed with ${parent} (ON DELETE CASCADE)`;
  entry.flag = parent
    ? undefined
    : !plan
      ? 'no_rule'
      : plan.problems.length
        ? 'not_enforceable'
        : !next
          ? 'not_scheduled'
          : undefined;
  if (!entry.flag) delete entry.flag;
  if (plan) entry.problems.push(...plan.problems);
  if (system.kind === 'http') return entry;
  const connector = services.connectors.forSystem(tenantId, system);
  const ageColumn = plan?.rule.anchor ?? dateColumn(collection);
  try {
    if (ageColumn)
      entry.oldestRecord = await oldest(connector, collectionTarget(system, collection), ageColumn, now);
    if (plan && !plan.problems.length) entry.rowsOverdue = await connector.count(plan.target, plan.due);
  } catch (error) {
    entry.problems.push(
      isDomainError(error) ? error.message : `cannot read ${system.id}: ${(error as Error).message}`,
    );
  }
  return entry;
}

async function oldest(
  connector: Connector,
  target: ReturnType<typeof collectionTarget>,
  column: string,
  now: Date,
): Promise<ComplianceEntry['oldestRecord']> {
  for await (const page of connector.read({
    target,
    columns: [column],
    where: { kind: 'not', of: { kind: 'equals', column, value: null } },
    keyset: [column],
    pageSize: 1,
  })) {
    const value = page[0]?.[column];
    if (value === null || value === undefined) return null;
    const at = value instanceof Date ? value : new Date(String(value));
    return { column, at: at.toISOString(), ageDays: Math.floor((now.getTime() - at.getTime()) / 86_400_000) };
  }
  return null;
}

/**
 * A collection without a rule of its own whose rows the database deletes with a parent that has a
 * delete rule (a NOT NULL foreign key with ON DELETE CASCADE): the parent's rule limits it too.
 */
function cascadingParent(
  view: DataMapView,
  system: DataMapSystem,
  collection: DataMapCollection,
): string | undefined {
  const edge = view
    .edgesOf({ system: system.id, collection: collection.name })
    .find(
      (e) =>
        e.foreignKey?.onDelete === 'cascade' &&
        !e.foreignKey.nullable &&
        e.holder.collection === collection.name &&
        e.holder.system === system.id &&
        view.collection(e.target)?.retention?.action === 'delete',
    );
  return edge ? `${edge.target.system}.${edge.target.collection}` : undefined;
}

/** Without a rule, the age is read from a creation-like date field, else the first date field. */
function dateColumn(collection: DataMapCollection): string | undefined {
  const dates = collection.fields.filter((f) => f.type?.family === 'date' || f.type?.family === 'timestamp');
  return (dates.find((f) => /created|occurred|started|placed|received/.test(f.name)) ?? dates[0])?.name;
}

/** Per collection, the earliest next fire time of an enabled flow that sweeps it. */
function nextRuns(
  services: RetentionServices,
  tenantId: string,
  now: Date,
): Map<string, { flowId: string; at: Date }> {
  const next = new Map<string, { flowId: string; at: Date }>();
  for (const { flow } of loadFlows(services.config, services.dataMaps, services.retentionFlowFiles).flows) {
    if (flow.disabled || flow.namespace !== tenantId) continue;
    const fireTimes = flow.triggers
      .map((t) => new Cron(t.cron, { paused: true, timezone: t.timezone }).nextRun(now))
      .filter((d): d is Date => d !== null);
    if (!fireTimes.length) continue;
    const at = new Date(Math.min(...fireTimes.map((d) => d.getTime())));
    for (const task of flow.tasks) {
      if (task.type !== 'retention.sweep') continue;
      for (const target of sweepTargets(services, flow, task)) {
        const key = `${target.system}.${target.collection}`;
        const known = next.get(key);
        if (!known || at < known.at) next.set(key, { flowId: flow.id, at });
      }
    }
  }
  return next;
}
