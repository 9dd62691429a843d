import type { DataMapSystem, ReferenceEdge } from '../../../../platform/datamap/datamap-types.ts';
import type { CollectionErasurePlan, ErasureOperation, PlanProblem, PlanStep } from './dsr-plan.ts';
import { describeDelete, describeUpdate } from './plan-statements.ts';
import { describeEdge } from './plan-steps.ts';

/**
 * The statements of one system's erasure in an order the foreign keys accept: every mask first
 * (while the subject's rows can still be found through their references), then the detaches that
 * break cycles, then deletes with children before parents.
 *
 * A cycle of foreign keys among deleted collections is broken through a nullable reference: it is
 * set to NULL on the subject's rows first. A cycle closed by ON DELETE CASCADE needs nothing (the
 * database removes the child with the parent). A cycle of NOT NULL restricting references cannot be
 * ordered and is a plan error.
 */
export function orderDeletions(
  system: DataMapSystem,
  steps: PlanStep[],
  collections: CollectionErasurePlan[],
  edges: ReferenceEdge[],
  errors: PlanProblem[],
  notes: PlanProblem[],
): ErasureOperation[] {
  const stepOf = new Map(steps.map((s) => [s.collection, s]));
  const planOf = new Map(collections.map((c) => [c.step, c]));
  const deleting = new Set(
    steps.filter((s) => ['delete', 'keep'].includes(planOf.get(s.id)!.action)).map((s) => s.collection),
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

  const detaches: ErasureOperation[] = [];
  const detach = (edge: ReferenceEdge, why: string) => {
    const step = stepOf.get(edge.holder.collection)!;
    const columns = edge.fields.map((f) => f.holder);
    detaches.push({
      kind: 'detach',
      step: step.id,
      columns,
      via: describeEdge(edge),
      statement: describeUpdate(system.kind, step.target, step.sources, columns, false),
    });
    notes.push({
      code: 'erasure.cycle_broken',
      message: `${why}: ${describeEdge(edge)} is set to NULL on the subject's rows before they are deleted.`,
      system: system.id,
      collection: edge.holder.collection,
    });
  };

  // holder must go before target: "before" edges among the collections being deleted.
  let pending = edges.filter(
    (e) => e.foreignKey && deleting.has(e.holder.collection) && deleting.has(e.target.collection),
  );
  for (const edge of pending.filter((e) => e.holder.collection === e.target.collection)) {
    if (edge.foreignKey!.onDelete === 'cascade' || edge.foreignKey!.onDelete === 'set_null') continue;
    if (edge.foreignKey!.nullable) detach(edge, 'Self-reference');
    else errors.push(cycleError(system.id, [edge]));
  }
  pending = pending.filter((e) => e.holder.collection !== e.target.collection);

  const placed: string[] = [];
  const remaining = new Set(steps.filter((s) => deleting.has(s.collection)).map((s) => s.collection));
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
      inCycle.find((e) => e.foreignKey!.nullable && e.foreignKey!.onDelete !== 'cascade') ??
      inCycle.find((e) => e.foreignKey!.onDelete === 'set_null');
    const cascading = inCycle.find((e) => e.foreignKey!.onDelete === 'cascade');
    if (breakable) {
      if (breakable.foreignKey!.onDelete !== 'set_null') detach(breakable, 'Cycle of foreign keys');
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

  const deletes: ErasureOperation[] = placed.map((name) => {
    const step = stepOf.get(name)!;
    return {
      kind: 'delete',
      step: step.id,
      statement: describeDelete(system.kind, step.target, step.sources),
    };
  });
  return [...operations, ...detaches, ...deletes];
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
    message: `The foreign keys ${edges.map(describeEdge).join(', ')} form a cycle with no nullable reference to break it and no ON DELETE CASCADE: the rows cannot be deleted in any order. Make one reference nullable, or mask these collections instead of deleting rows.`,
    system: systemId,
    collection: edges[0]?.holder.collection,
  };
}
