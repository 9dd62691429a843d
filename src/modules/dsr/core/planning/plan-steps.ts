import { collectionTarget } from '../../../../platform/connectors/collection-target.ts';
import { collectionKey, traversals } from '../../../../platform/datamap/datamap-reachability.ts';
import type {
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
  ReferenceEdge,
} from '../../../../platform/datamap/datamap-types.ts';
import type { DsrPlan, PlanIdentity, PlanProblem, PlanStep, StepSource, SystemPlan } from './dsr-plan.ts';
import { describeRead } from './plan-statements.ts';

/**
 * The subject's collections in every system, breadth-first from the collections that hold one of
 * the request's identities, following references only in the direction the data map declares.
 *
 * Each collection gets its rows from the nearest level only (its BFS parents). That is what keeps
 * rows concerning two people apart: a gift order points at the recipient's address, but addresses
 * are already the subject's through `addresses.customer_id` one level up, so the recipient's
 * address is never reached through the order (and the order never through the address).
 */
export { collectionTarget };

export function planSteps(
  dataMap: DataMap,
  identities: PlanIdentity[],
): Pick<DsrPlan, 'systems' | 'unreached' | 'notes'> {
  const systems: SystemPlan[] = [];
  const unreached: DsrPlan['unreached'] = [];
  const notes: PlanProblem[] = [];
  for (const edge of dataMap.edges) {
    if (edge.holder.system !== edge.target.system) {
      notes.push({
        code: 'reference.cross_system',
        message: `The reference ${describeEdge(edge)} links two systems; each system is searched by the request's own identities, so it is not followed.`,
        system: edge.holder.system,
        collection: edge.holder.collection,
      });
    }
  }
  for (const system of dataMap.systems) {
    const steps = stepsOfSystem(system, dataMap.edges, identities, notes);
    const reached = new Set(steps.map((step) => step.collection));
    for (const collection of system.collections) {
      if (reached.has(collection.name)) continue;
      unreached.push({
        system: system.id,
        collection: collection.name,
        reason: unreachedReason(collection, identities),
      });
    }
    if (steps.length) systems.push({ system: system.id, kind: system.kind, steps });
  }
  return { systems, unreached, notes };
}

function stepsOfSystem(
  system: DataMapSystem,
  allEdges: ReferenceEdge[],
  identities: PlanIdentity[],
  notes: PlanProblem[],
): PlanStep[] {
  const collections = new Map(system.collections.map((c) => [c.name, c]));
  const internal = allEdges.filter((e) => e.holder.system === system.id && e.target.system === system.id);
  // A reference about another person never leads to the subject's own rows, and one the data map
  // does not declare is not followed at all.
  const edges = internal.filter((e) => !e.otherSubject && !e.undeclared);
  const supplied = new Map(identities.map((identity) => [identity.name, identity]));
  const depth = new Map<string, number>();
  const sources = new Map<string, StepSource[]>();

  // Level 0: collections holding a supplied identity of the row's own subject.
  for (const collection of system.collections) {
    const own: StepSource[] = collection.fields
      .filter((field) => field.identity && supplied.has(field.identity) && !field.otherSubject)
      .map((field) => identitySource(field, supplied.get(field.identity!)!));
    if (own.length) {
      depth.set(collection.name, 0);
      sources.set(collection.name, own);
    }
  }
  addRootToRootReferences(system.id, edges, depth, sources);

  let level = [...depth.keys()];
  for (let d = 1; level.length; d++) {
    const next = new Map<string, StepSource[]>();
    for (const parent of level) {
      for (const edge of edges) {
        for (const way of traversals(edge)) {
          if (way.from.collection !== parent || way.to.collection === parent) continue;
          if (depth.has(way.to.collection)) continue;
          next.set(way.to.collection, [
            ...(next.get(way.to.collection) ?? []),
            referenceSource(
              edge,
              way.to.collection === edge.holder.collection ? 'holder' : 'target',
              system.id,
            ),
          ]);
        }
      }
    }
    for (const [name, found] of next) {
      depth.set(name, d);
      sources.set(name, found);
    }
    level = [...next.keys()];
  }

  for (const edge of edges) {
    if (edge.holder.collection === edge.target.collection && depth.has(edge.holder.collection)) {
      notes.push({
        code: 'reference.self_not_followed',
        message: `The self-reference ${describeEdge(edge)} is not followed: a row it points at belongs to another subject.`,
        system: system.id,
        collection: edge.holder.collection,
      });
    }
  }

  const ordered = [...depth.entries()].sort(
    (a, b) => a[1] - b[1] || order(system, a[0]) - order(system, b[0]),
  );
  const steps = ordered.map(([name, d]) => {
    const collection = collections.get(name)!;
    const target = collectionTarget(system, collection);
    const withheld = collection.fields
      .filter((f) => f.otherSubject)
      .map((f) => ({ field: f.name, role: f.otherSubject! }));
    const step: PlanStep = {
      id: collectionKey({ system: system.id, collection: name }),
      collection: name,
      target,
      depth: d,
      sources: sources.get(name)!,
      // GDPR Art. 15(4): what describes another person is not the subject's to see.
      columns: collection.fields.filter((f) => !f.otherSubject).map((f) => f.name),
      ...(withheld.length ? { withheld } : {}),
      ...keyFacts(collection),
      statement: '',
    };
    step.statement = describeRead(system.kind, step, identities);
    return step;
  });
  const maxDepth = Math.max(0, ...steps.map((s) => s.depth));
  return [...steps, ...mentionSteps(system, internal, depth, supplied, maxDepth + 1, identities)];
}

/**
 * Rows where the subject appears as another person: a gift order naming them as its recipient
 * (a field of the role holds an identity they give), a referral pointing at their customer row (a
 * reference of the role leads to one of their rows). Only the role's fields concern them; these
 * steps are leaves, never followed further.
 */
function mentionSteps(
  system: DataMapSystem,
  edges: ReferenceEdge[],
  own: Map<string, number>,
  supplied: Map<string, PlanIdentity>,
  depth: number,
  identities: PlanIdentity[],
): PlanStep[] {
  const found = new Map<string, { collection: DataMapCollection; role: string; sources: StepSource[] }>();
  const add = (collection: DataMapCollection, role: string, source: StepSource) => {
    const key = `${collection.name}@${role}`;
    const entry = found.get(key) ?? { collection, role, sources: [] };
    entry.sources.push(source);
    found.set(key, entry);
  };
  for (const collection of system.collections) {
    for (const field of collection.fields) {
      if (field.otherSubject && field.identity && supplied.has(field.identity))
        add(collection, field.otherSubject, identitySource(field, supplied.get(field.identity)!));
    }
  }
  for (const edge of edges) {
    if (!edge.otherSubject || edge.undeclared || !own.has(edge.target.collection)) continue;
    const holder = system.collections.find((c) => c.name === edge.holder.collection)!;
    add(holder, edge.otherSubject, referenceSource(edge, 'holder', system.id));
  }
  return [...found.values()].map(({ collection, role, sources }) => {
    const fields = collection.fields.filter((f) => f.otherSubject === role).map((f) => f.name);
    const step: PlanStep = {
      id: `${collectionKey({ system: system.id, collection: collection.name })}@${role}`,
      collection: collection.name,
      target: collectionTarget(system, collection),
      depth: sources.every((s) => s.kind === 'identity') ? 0 : depth,
      sources,
      columns: fields,
      about: { role, fields },
      ...keyFacts(collection),
      statement: '',
    };
    step.statement = describeRead(system.kind, step, identities);
    return step;
  });
}

/** Whether the collection holds personal data at all, and whether its key is personal data itself. */
function keyFacts(collection: DataMapCollection): Pick<PlanStep, 'impersonal' | 'personalKey'> {
  const personal = (categories: string[]) => categories.some((c) => c.startsWith('user.'));
  const facts: Pick<PlanStep, 'impersonal' | 'personalKey'> = {};
  if (!collection.fields.some((f) => f.categories.length)) facts.impersonal = true;
  const keyFields = collection.fields.filter((f) => collection.primaryKey.includes(f.name));
  if (
    keyFields.some((f) =>
      personal(f.categories.filter((c) => c !== 'user.unique_id' && !c.startsWith('user.unique_id.'))),
    )
  )
    facts.personalKey = true;
  return facts;
}

/** How a field holding one of the request's identities is compared: case, phone form, column type. */
function identitySource(field: DataMapField, identity: PlanIdentity): StepSource {
  const source: StepSource = {
    kind: 'identity',
    identity: identity.name,
    column: field.name,
    lowercase: identity.match === 'case_insensitive',
  };
  const family = field.type?.family;
  if (identity.match === 'e164' && (family === undefined || family === 'text')) source.phone = true;
  if (identity.match !== 'e164' && (family === 'integer' || family === 'uuid')) source.accepts = family;
  return source;
}

/**
 * A collection that holds an identity may also hold rows of the subject found through another
 * identity collection (orders with a guest email that also point at the customer): such a root also
 * takes the rows that reference an earlier root, in the owning direction (holder found from target).
 */
function addRootToRootReferences(
  systemId: string,
  edges: ReferenceEdge[],
  depth: Map<string, number>,
  sources: Map<string, StepSource[]>,
): void {
  const roots = [...depth.keys()];
  const earlier = new Set<string>();
  for (const root of roots) {
    for (const edge of edges) {
      const owning = edge.direction === 'from' || edge.direction === 'both';
      if (!owning || edge.holder.collection !== root || edge.target.collection === root) continue;
      if (!earlier.has(edge.target.collection)) continue;
      sources.get(root)!.push(referenceSource(edge, 'holder', systemId));
    }
    earlier.add(root);
  }
}

function referenceSource(edge: ReferenceEdge, reached: 'holder' | 'target', systemId: string): StepSource {
  const parent = reached === 'holder' ? edge.target.collection : edge.holder.collection;
  return {
    kind: 'reference',
    parent: collectionKey({ system: systemId, collection: parent }),
    columns: edge.fields.map((f) => (reached === 'holder' ? f.holder : f.target)),
    parentColumns: edge.fields.map((f) => (reached === 'holder' ? f.target : f.holder)),
    via: describeEdge(edge),
  };
}

export function describeEdge(edge: ReferenceEdge): string {
  const side = (collection: string, fields: string[]) =>
    `${collection}.${fields.length > 1 ? `(${fields.join(', ')})` : fields[0]}`;
  return `${side(
    edge.holder.collection,
    edge.fields.map((f) => f.holder),
  )} → ${side(
    edge.target.collection,
    edge.fields.map((f) => f.target),
  )}`;
}

function order(system: DataMapSystem, name: string): number {
  return system.collections.findIndex((c) => c.name === name);
}

function unreachedReason(collection: DataMapCollection, identities: PlanIdentity[]): string {
  if (collection.source === 'catalog')
    return 'it is not in the data map (the database catalog shows it references a collection that is); declare it';
  const held = [...new Set(collection.fields.map((f) => f.identity).filter((i): i is string => Boolean(i)))];
  if (held.length) {
    return `it is found by ${held.join(' or ')}, which the request does not supply (it supplies ${identities.map((i) => i.name).join(', ')}), and no reference leads to it from a collection the request reaches`;
  }
  return 'it holds no identity and no reference leads to it (in its declared direction) from a collection the request reaches';
}
