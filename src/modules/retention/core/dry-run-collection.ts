import type { Connector } from '../../../platform/connectors/connector.ts';
import type { DataMapView } from '../../../platform/datamap/datamap-types.ts';
import type { SweepPlan } from './sweep-plan.ts';

export interface DryRunResult {
  system: string;
  collection: string;
  rule: string;
  action: 'delete' | 'anonymise';
  cutoff: string;
  /** Rows a sweep would delete or anonymise now. */
  rowsDue: number;
  /** Rows the rule selects that a legal hold still keeps (or, for anonymise, that are already anonymised). */
  rowsHeld: number;
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
    sampleKeys: [],
    problems: [...plan.problems],
    notes: [...plan.notes],
  };
}

/**
 * What a rule would do now, changing nothing: counts with the sweep's own predicates and a few
 * primary keys, never other values (GDPR Art. 25: the preview shows no personal data).
 */
export async function dryRunCollection(
  connector: Connector,
  view: DataMapView,
  plan: SweepPlan,
  sampleSize: number,
): Promise<DryRunResult> {
  const result = unmeasuredDryRun(plan);
  if (plan.problems.length) return result;
  const [byRule, due] = await Promise.all([
    connector.count(plan.target, plan.dueByRule),
    connector.count(plan.target, plan.due),
  ]);
  result.rowsDue = due;
  result.rowsHeld = Math.max(0, byRule - due);
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
  if (plan.inbound.some((l) => l.onDelete !== 'cascade' || l.heldWhile)) {
    result.notes.push(
      `due rows still referenced by ${[...new Set(plan.inbound.map((l) => l.holderName))].join(', ')} rows are kept when the sweep runs`,
    );
  }
  return result;
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
