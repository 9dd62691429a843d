import type { Connector, RowPredicate } from '../../../platform/connectors/connector.ts';
import { keyOf } from '../../../platform/connectors/row-key.ts';
import type { DataMapView } from '../../../platform/datamap/datamap-types.ts';
import { keptByLinkReason, planSweep, type SweepPlan } from './sweep-plan.ts';

export interface DryRunResult {
  system: string;
  collection: string;
  rule: string;
  action: 'delete' | 'anonymise';
  cutoff: string;
  /** Rows a sweep would delete or anonymise now. */
  rowsDue: number;
  /** Rows the rule selects that a legal hold still keeps. */
  rowsHeld: number;
  /** Delete rules: due rows the sweep keeps because other rows still reference them, by reason. */
  rowsReferenced: number;
  referencedReasons: Record<string, number>;
  /** Anonymise rules: rows the rule selects that an earlier run already anonymised (done, not held). */
  rowsAlreadyDone: number;
  /** Primary keys of the first due rows; empty when the key itself is personal data. */
  sampleKeys: unknown[][];
  sampleWithheld?: string;
  problems: string[];
  notes: string[];
}

/** A dry run's result before anything is counted: the plan's rule, cutoff, problems and notes, no rows. */
export function unmeasuredDryRun(plan: SweepPlan): DryRunResult {
  return {
    system: plan.system,
    collection: plan.collection,
    rule: plan.ruleText,
    action: plan.action,
    cutoff: plan.cutoff.toISOString(),
    rowsDue: 0,
    rowsHeld: 0,
    rowsReferenced: 0,
    referencedReasons: {},
    rowsAlreadyDone: 0,
    sampleKeys: [],
    problems: [...plan.problems],
    notes: [...plan.notes],
  };
}

/**
 * What a rule would do now, changing nothing, predicting the sweep: the rows it selects, those a
 * legal hold keeps, those it keeps because other rows still reference them (read with the sweep's
 * own rule, so "due" is what it will delete), and for anonymisation those already anonymised.
 * Counts and a few primary keys only, never other values (GDPR Art. 25: the preview shows no
 * personal data).
 */
export async function dryRunCollection(
  connector: Connector,
  view: DataMapView,
  plan: SweepPlan,
  sampleSize: number,
): Promise<DryRunResult> {
  const result = unmeasuredDryRun(plan);
  if (plan.problems.length) return result;
  const [byRule, free, due] = await Promise.all([
    connector.count(plan.target, plan.dueByRule),
    connector.count(plan.target, plan.dueIgnoringDone),
    connector.count(plan.target, plan.due),
  ]);
  result.rowsHeld = Math.max(0, byRule - free);
  result.rowsAlreadyDone = Math.max(0, free - due);
  const referenced =
    plan.action === 'delete' ? await referencedRows(connector, view, plan) : new Map<string, number>();
  result.referencedReasons = Object.fromEntries(referenced);
  result.rowsReferenced = [...referenced.values()].reduce((a, b) => a + b, 0);
  result.rowsDue = due - result.rowsReferenced;
  const withheld = personalKeyReason(view, plan);
  if (withheld) result.sampleWithheld = withheld;
  else if (sampleSize > 0 && plan.target.primaryKey.length) {
    for await (const page of connector.read({
      target: plan.target,
      columns: plan.target.primaryKey,
      where: plan.due,
      keyset: plan.target.primaryKey,
      pageSize: sampleSize,
    })) {
      result.sampleKeys = page.map((row) => plan.target.primaryKey.map((c) => row[c]));
      break;
    }
  }
  return result;
}

/**
 * Due rows a delete sweep keeps: rows that other rows point at through a restricting foreign key,
 * or whose cascading children are under a hold — found page by page over the due rows' keys, as
 * the sweep's batches find them. A row kept by several references counts once, for the first.
 * A referencing row that its own collection's delete rule makes due goes first in a run (children
 * are swept before their parents), so it does not count as keeping anything.
 */
async function referencedRows(
  connector: Connector,
  view: DataMapView,
  plan: SweepPlan,
): Promise<Map<string, number>> {
  const kept = new Map<string, number>();
  const links = plan.inbound.filter((l) => l.onDelete !== 'cascade' || l.heldWhile);
  if (!links.length || !plan.target.primaryKey.length) return kept;
  const goesFirst = new Map(links.map((link) => [link, holderDue(view, plan, link)]));
  const columns = [...new Set([...plan.target.primaryKey, ...links.flatMap((l) => l.columns)])];
  for await (const page of connector.read({
    target: plan.target,
    columns,
    where: plan.due,
    keyset: plan.target.primaryKey,
  })) {
    let rows = page;
    for (const link of links) {
      const values = distinct(rows.map((row) => link.columns.map((c) => row[c])));
      if (!values.length) continue;
      const referencing: RowPredicate = { kind: 'in', columns: link.holderColumns, tuples: values };
      const where: RowPredicate = link.heldWhile
        ? { kind: 'all', of: [referencing, link.heldWhile] }
        : referencing;
      const blocked = await stayingReferences(connector, link, where, goesFirst.get(link));
      const stay = rows.filter((row) => blocked.has(keyOf(link.columns.map((c) => row[c]))));
      if (stay.length)
        kept.set(keptByLinkReason(link), (kept.get(keptByLinkReason(link)) ?? 0) + stay.length);
      rows = rows.filter((row) => !blocked.has(keyOf(link.columns.map((c) => row[c]))));
    }
  }
  return kept;
}

/** Referenced keys that some referencing row still points at once the rows due by their own rule are gone. */
async function stayingReferences(
  connector: Connector,
  link: SweepPlan['inbound'][number],
  where: RowPredicate,
  due: RowPredicate | undefined,
): Promise<Set<string>> {
  const count = async (predicate: RowPredicate) => {
    const counts = new Map<string, number>();
    for await (const holders of connector.read({
      target: link.holder,
      columns: link.holderColumns,
      where: predicate,
      keyset: [],
    }))
      for (const holder of holders) {
        const key = keyOf(link.holderColumns.map((c) => holder[c]));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    return counts;
  };
  const all = await count(where);
  const going = due ? await count({ kind: 'all', of: [where, due] }) : new Map<string, number>();
  return new Set([...all].filter(([key, n]) => n > (going.get(key) ?? 0)).map(([key]) => key));
}

/** The rows of the referencing collection its own delete rule makes due at the same moment, if it has one. */
function holderDue(
  view: DataMapView,
  plan: SweepPlan,
  link: SweepPlan['inbound'][number],
): RowPredicate | undefined {
  if (link.heldWhile) return undefined;
  const address = { system: plan.system, collection: link.holderName };
  if (view.collection(address)?.retention?.action !== 'delete') return undefined;
  const holderPlan = planSweep(view, address, plan.referenceTime);
  return holderPlan.problems.length ? undefined : holderPlan.due;
}

function distinct(tuples: unknown[][]): unknown[][] {
  const seen = new Map<string, unknown[]>();
  for (const tuple of tuples)
    if (!tuple.some((v) => v === null || v === undefined)) seen.set(keyOf(tuple), tuple);
  return [...seen.values()];
}

/** A primary key made of personal values (an email as key) is not shown; a surrogate id is. */
function personalKeyReason(view: DataMapView, plan: SweepPlan): string | undefined {
  if (!plan.target.primaryKey.length) return 'the collection has no primary key';
  for (const name of plan.target.primaryKey) {
    const field = view.field({ system: plan.system, collection: plan.collection, field: name });
    const personal = field?.categories.filter(
      (c) => c.startsWith('user.') && c !== 'user.unique_id' && !c.startsWith('user.unique_id.'),
    );
    if (personal?.length)
      return `the primary key column ${name} holds personal data (${personal.join(', ')})`;
  }
  return undefined;
}
