import type { DataMapSystem, ReferenceEdge } from '../../../../platform/datamap/datamap-types.ts';
import type {
  CollectionErasurePlan,
  ErasureOperation,
  InboundReference,
  PlanProblem,
  PlanStep,
} from './dsr-plan.ts';
import { describeDelete, describeUpdate } from './plan-statements.ts';
import { describeEdge } from './plan-steps.ts';

/**
 * The statements of one system's erasure in an order the foreign keys accept and that loses no
 * row of the subject: every mask first (while the subject's rows can still be found through their
 * references), then the deletes with children before parents. Just before a collection's rows are
 * deleted, the nullable restricting references still pointing at them are set to NULL (what ON
 * DELETE SET NULL would do). By then the subject's own rows found through such a reference are
 * gone already (children first) or masked, so cutting it strands none of them: only someone
 * else's reference, or one of the subject's rows that stays, is unlinked.
 *
 * A cycle of foreign keys among deleted collections is broken through a nullable reference (its
 * rows are unlinked before the collection it points at is deleted). A cycle closed by ON DELETE
 * CASCADE needs nothing. A cycle of NOT NULL restricting references cannot be ordered and is a plan
 * error, as is a cycle broken through the very reference that finds the rows of a table without a
 * primary key (they could no longer be found to be deleted).
 */
export function orderDeletions(
  system: DataMapSystem,
  steps: PlanStep[],
  collections: CollectionErasurePlan[],
  edges: ReferenceEdge[],
  errors: PlanProblem[],
  notes: PlanProblem[],
): ErasureOperation[] {
  const ownSteps = steps.filter((s) => !s.about);
  const stepOf = new Map(ownSteps.map((s) => [s.collection, s]));
  const planOf = new Map(collections.map((c) => [c.step, c]));
  const deleting = new Set(
    ownSteps.filter((s) => ['delete', 'keep'].includes(planOf.get(s.id)!.action)).map((s) => s.collection),
  );
  const operations: ErasureOperation[] = [];

  for (const step of steps) {
    const plan = planOf.get(step.id)!;
    if (plan.masks.length) {
      operations.push({
        kind: 'mask',
        step: step.id,
        statement: describeUpdate(
          system.kind,
          step.target,
          step.sources,
          plan.masks.map((m) => m.field),
          true,
        ),
      });
    }
  }

  // holder must go before target: "before" edges among the collections being deleted.
  let pending = edges.filter(
    (e) => e.foreignKey && deleting.has(e.holder.collection) && deleting.has(e.target.collection),
  );
  const broken: ReferenceEdge[] = [];
  for (const edge of pending.filter((e) => e.holder.collection === e.target.collection)) {
    if (edge.foreignKey!.onDelete === 'cascade' || edge.foreignKey!.onDelete === 'set_null') continue;
    if (edge.foreignKey!.nullable === true) broken.push(edge);
    else errors.push(cycleError(system.id, [edge]));
  }
  pending = pending.filter((e) => e.holder.collection !== e.target.collection);

  const placed: string[] = [];
  const remaining = new Set(ownSteps.filter((s) => deleting.has(s.collection)).map((s) => s.collection));
  while (remaining.size) {
    // Deepest first among those nothing still points at, so children go before parents.
    const ready = [...remaining].filter(
      (c) => !pending.some((e) => e.target.collection === c && remaining.has(e.holder.collection)),
    );
    if (ready.length) {
      ready.sort((a, b) => stepOf.get(b)!.depth - stepOf.get(a)!.depth);
      for (const name of ready) {
        placed.push(name);
        remaining.delete(name);
      }
      continue;
    }
    const among = pending.filter(
      (e) => remaining.has(e.holder.collection) && remaining.has(e.target.collection),
    );
    // An edge is in a cycle when its target leads back to its holder.
    const inCycle = among.filter((e) => leadsTo(among, e.target.collection, e.holder.collection));
    const breakable =
      inCycle.find((e) => e.foreignKey!.nullable === true && e.foreignKey!.onDelete !== 'cascade') ??
      inCycle.find((e) => e.foreignKey!.onDelete === 'set_null');
    const cascading = inCycle.find((e) => e.foreignKey!.onDelete === 'cascade');
    if (breakable) {
      if (breakable.foreignKey!.onDelete !== 'set_null') broken.push(breakable);
      pending = pending.filter((e) => e !== breakable);
    } else if (cascading) {
      notes.push({
        code: 'erasure.cycle_cascade',
        message: `Cycle of foreign keys closed by ON DELETE CASCADE (${describeEdge(cascading)}): the database removes those rows with their parent.`,
        system: system.id,
      });
      pending = pending.filter((e) => e !== cascading);
    } else {
      errors.push(cycleError(system.id, inCycle));
      break;
    }
  }

  for (const edge of broken) {
    notes.push({
      code: 'erasure.cycle_broken',
      message: `${edge.holder.collection === edge.target.collection ? 'Self-reference' : 'Cycle of foreign keys'}: ${describeEdge(edge)} is set to NULL on the rows that still point at ${edge.target.collection} rows just before those are deleted.`,
      system: system.id,
      collection: edge.holder.collection,
    });
    strandedRowsCheck(system, edge, placed, stepOf, planOf, errors);
  }

  for (const name of placed) {
    const step = stepOf.get(name)!;
    for (const reference of planOf.get(step.id)!.inbound.filter(unlinkedBeforeDelete)) {
      operations.push({
        kind: 'detach',
        step: step.id,
        holder: reference.holder.name,
        columns: reference.holderColumns,
        via: reference.via,
        statement: describeUpdate(system.kind, reference.holder, [], reference.holderColumns, false).replace(
          / WHERE .*/,
          ` WHERE (${reference.holderColumns.join(', ')}) point at the ${name} rows being deleted`,
        ),
      });
    }
    operations.push({
      kind: 'delete',
      step: step.id,
      statement: describeDelete(system.kind, step.target, step.sources),
    });
  }
  return operations;
}

/**
 * References set to NULL just before the rows they point at are deleted: declared in the data map,
 * nullable (known to be) and restricting. CASCADE removes the referencing rows instead, SET NULL /
 * SET DEFAULT are the database's own doing, and an undeclared reference keeps the row it points at
 * (whose rows it links is unknown, so they are not changed).
 */
export function unlinkedBeforeDelete(reference: InboundReference): boolean {
  if (reference.undeclared) return false;
  return (
    reference.nullable === true && (reference.onDelete === 'restrict' || reference.onDelete === 'no_action')
  );
}

/**
 * A table without a primary key whose rows are found through the reference a cycle is broken at,
 * and that is deleted only after the collection it points at: once the reference is NULL its
 * rows could not be found any more.
 */
function strandedRowsCheck(
  system: DataMapSystem,
  edge: ReferenceEdge,
  placed: string[],
  stepOf: Map<string, PlanStep>,
  planOf: Map<string, CollectionErasurePlan>,
  errors: PlanProblem[],
): void {
  const holder = stepOf.get(edge.holder.collection);
  if (!holder || holder.target.primaryKey.length) return;
  const foundThrough = holder.sources.some(
    (s) => s.kind === 'reference' && s.columns.join() === edge.fields.map((f) => f.holder).join(),
  );
  const deletedLater = placed.indexOf(edge.holder.collection) > placed.indexOf(edge.target.collection);
  if (!foundThrough || !deletedLater || planOf.get(holder.id)?.action !== 'delete') return;
  errors.push({
    code: 'erasure.cycle_strands_rows',
    message: `${edge.holder.collection} has no primary key and its rows are found through ${describeEdge(edge)}, which must be set to NULL to delete the cycle it closes: the rows could not be found afterwards. Give ${edge.holder.collection} a primary key, or mask it instead of deleting rows.`,
    system: system.id,
    collection: edge.holder.collection,
  });
}

function leadsTo(edges: ReferenceEdge[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const current = stack.pop()!;
    if (current === to) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const edge of edges) if (edge.holder.collection === current) stack.push(edge.target.collection);
  }
  return false;
}

function cycleError(systemId: string, edges: ReferenceEdge[]): PlanProblem {
  return {
    code: 'erasure.cycle',
    message: `The foreign keys ${edges.map(describeEdge).join(', ')} form a cycle with no nullable reference to break it (or none known to be nullable: the catalog was not read and the data map does not say) and no ON DELETE CASCADE: the rows cannot be deleted in any order. Make one reference nullable, or mask these collections instead of deleting rows.`,
    system: systemId,
    collection: edges[0]?.holder.collection,
  };
}
