import type { CollectionTarget, RowPredicate } from '../../../platform/connectors/connector.ts';
import type {
  CollectionAddress,
  DataMapCollection,
  DataMapSystem,
  DataMapView,
  KeepStrategy,
  RetentionRule,
} from '../../../platform/datamap/datamap-types.ts';
import { subtractDuration } from '../../../platform/datamap/duration.ts';
import { effectiveErasure } from '../../../platform/datamap/effective-erasure.ts';
import { collectionTarget } from '../../../platform/connectors/collection-target.ts';
import type { FieldMask } from '../../../platform/erasure/field-mask.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { conditionsPredicate, describeConditions } from './rule-predicate.ts';
import { didYouMean } from '../../../kernel/errors/did-you-mean.ts';

const MASKS = new Set(['null', 'fixed_value', 'random', 'hmac', 'deterministic_encryption', 'generalise']);

/** Strategies that only pseudonymise (an unkeyed digest anyone can recompute): never anonymisation. */
const PSEUDONYMISING = new Set(['hash', 'pseudonymise']);

/** A reference from another collection's rows to this one's, which decides whether a row may go. */
export interface InboundLink {
  holder: CollectionTarget;
  holderName: string;
  holderColumns: string[];
  columns: string[];
  onDelete: string;
  /** Cascading children under a legal hold: rows whose hold has not ended keep their parent. */
  heldWhile?: RowPredicate;
}

/**
 * How one collection is swept, decided from the data map alone (pure, STYLE.md §11): which rows are
 * due at the reference time, what happens to them, and what keeps a due row. Executing it is
 * `sweep-collection.ts`; a dry run counts with the same predicates.
 */
export interface SweepPlan {
  system: string;
  collection: string;
  kind: DataMapSystem['kind'];
  target: CollectionTarget;
  rule: RetentionRule;
  ruleText: string;
  action: 'delete' | 'anonymise';
  /** The moment the plan is made for: rows older than `cutoff` then are due. */
  referenceTime: Date;
  cutoff: Date;
  /** Due under the rule (anchor before the cut-off, every condition), legal holds not yet applied. */
  dueByRule: RowPredicate;
  /** Due and free of any legal hold that has not ended (GDPR Art. 17(3)): what a batch may touch. */
  due: RowPredicate;
  /** Due by the rule and free of holds, whether or not already anonymised (`due` leaves those out). */
  dueIgnoringDone: RowPredicate;
  /** Columns batches are paged by: the primary key, else the anchor (rows then go in anchor ranges). */
  keyset: string[];
  masks: FieldMask[];
  inbound: InboundLink[];
  /** Reasons the rule cannot be enforced at all (the sweep of this collection fails with them). */
  problems: string[];
  /** Things an operator should know (counts that may include already anonymised rows, …). */
  notes: string[];
}

/** The plan for the collection's own rule, or for a proposed one (dry run before enabling it). */
export function planSweep(
  view: DataMapView,
  address: CollectionAddress,
  referenceTime: Date,
  proposed?: RetentionRule,
): SweepPlan {
  const system = view.system(address.system);
  const collection = view.collection(address);
  if (!system || !collection) {
    throw new NotFound(
      'retention.unknown_collection',
      `${address.system}.${address.collection} is not in the data map.${didYouMean(
        `${address.system}.${address.collection}`,
        view.dataMap.systems.flatMap((s) => s.collections.map((c) => `${s.id}.${c.name}`)),
      )} Name a system and collection from \`steward datamap show\`.`,
      { ...address },
    );
  }
  const rule = proposed ?? collection.retention;
  if (!rule) {
    throw new NotFound(
      'retention.no_rule',
      `${address.system}.${address.collection} has no retention rule. Add \`retention:\` to the collection in the data map, or try one first: \`steward retention dry-run ${address.system}.${address.collection} --keep-for 6m --anchor <date field> --action delete\` (the API's dry-run takes the rule in its body).`,
      { ...address },
    );
  }
  const problems: string[] = [];
  const notes: string[] = [];
  const cutoff = subtractDuration(referenceTime, rule.keepFor);
  const dueByRule: RowPredicate = {
    kind: 'all',
    of: [
      { kind: 'compare', column: rule.anchor, operator: '<', value: cutoff },
      ...conditionsPredicate(rule.where),
    ],
  };
  const holdParts = holdPredicates(collection, rule, referenceTime, problems);
  const masks = rule.action === 'anonymise' ? masksOf(view, system, collection, problems) : [];
  const unmasked = rule.action === 'anonymise' ? notYetAnonymised(masks, notes) : undefined;
  const dueIgnoringDone: RowPredicate = { kind: 'all', of: [dueByRule, ...holdParts] };
  const due: RowPredicate = { kind: 'all', of: [dueByRule, ...holdParts, ...(unmasked ? [unmasked] : [])] };
  if (system.kind === 'http')
    problems.push(
      'an HTTP system is addressed by identity only; it cannot be swept by age. Enforce the rule in the system itself.',
    );
  if (!collection.fields.some((f) => f.name === rule.anchor))
    problems.push(`the anchor "${rule.anchor}" is not a field of the collection`);
  const keyset = collection.primaryKey.length ? collection.primaryKey : [rule.anchor];
  if (!collection.primaryKey.length && rule.action === 'anonymise')
    problems.push(
      'anonymising needs a primary key to address each row; declare primaryKey or use action delete',
    );
  const inbound =
    rule.action === 'delete' ? inboundLinks(view, system, collection, referenceTime, problems) : [];
  if (!collection.primaryKey.length && inbound.length)
    problems.push(
      'rows of a collection without a primary key cannot be checked against the rows that refer to them',
    );
  return {
    system: system.id,
    collection: collection.name,
    kind: system.kind,
    target: collectionTarget(system, collection),
    rule,
    ruleText: describeRule(rule),
    action: rule.action,
    referenceTime,
    cutoff,
    dueByRule,
    due,
    dueIgnoringDone,
    keyset,
    masks,
    inbound,
    problems,
    notes,
  };
}

/** `delete after 3y since last_login_at where status = "inactive"`. */
export function describeRule(rule: RetentionRule): string {
  const where = describeConditions(rule.where);
  return `${rule.action} after ${rule.keepFor} since ${rule.anchor}${where ? ` where ${where}` : ''}`;
}

/**
 * GDPR Art. 17(3), enforced per row at run time even though validation already compares periods:
 * a row may be deleted only once every hold on it has ended, counted from the hold's anchor (or
 * the rule's when the hold names none). A hold without a period never ends: nothing is deleted.
 */
function holdPredicates(
  collection: DataMapCollection,
  rule: RetentionRule,
  now: Date,
  problems: string[],
): RowPredicate[] {
  const holds: { hold: KeepStrategy; where: string }[] = [];
  if (collection.erasure?.strategy === 'keep')
    holds.push({ hold: collection.erasure, where: 'the collection' });
  if (rule.action === 'delete') {
    for (const field of collection.fields)
      if (field.erasure?.strategy === 'keep')
        holds.push({ hold: field.erasure, where: `field ${field.name}` });
  }
  const parts: RowPredicate[] = [];
  for (const { hold, where } of holds) {
    if (!hold.period) {
      problems.push(
        `${where} is under an indefinite legal hold (${hold.article}: ${hold.reason}); nothing may be ${rule.action === 'delete' ? 'deleted' : 'anonymised'}`,
      );
      continue;
    }
    parts.push({
      kind: 'compare',
      column: hold.anchor ?? rule.anchor,
      operator: '<',
      value: subtractDuration(now, hold.period),
    });
  }
  return parts;
}

/** The fields anonymisation masks: each personal field's erasure strategy, as an erasure would mask it. */
function masksOf(
  view: DataMapView,
  system: DataMapSystem,
  collection: DataMapCollection,
  problems: string[],
): FieldMask[] {
  const foreignKeys = new Set(
    view
      .edgesOf({ system: system.id, collection: collection.name })
      .filter((e) => e.foreignKey && e.holder.collection === collection.name && e.holder.system === system.id)
      .flatMap((e) => e.fields.map((f) => f.holder)),
  );
  const masks: FieldMask[] = [];
  for (const field of collection.fields) {
    const strategy =
      field.erasure ?? (field.categories.length ? effectiveErasure(collection, field) : undefined);
    if (strategy && PSEUDONYMISING.has(strategy.strategy)) {
      // GDPR Recital 26: a value anyone can recompute from a guess is not anonymous.
      problems.push(
        `${field.name} uses ${strategy.strategy}, an unkeyed digest, which pseudonymises rather than anonymises; give it hmac with a Steward secret, null, fixed_value, random or generalise`,
      );
      continue;
    }
    if (!strategy || !MASKS.has(strategy.strategy)) continue;
    if (collection.primaryKey.includes(field.name)) continue;
    if (foreignKeys.has(field.name) && strategy.strategy !== 'null') continue;
    const mask: FieldMask = { field: field.name, strategy: strategy as FieldMask['strategy'] };
    if (field.type?.length && (field.type.family === 'text' || field.type.family === 'binary'))
      mask.maxLength = field.type.length;
    if (field.type?.family) mask.family = field.type.family;
    masks.push(mask);
  }
  if (!masks.length)
    problems.push(
      'action anonymise, but no field of the collection has a masking erasure strategy (null, fixed_value, random, hmac, deterministic_encryption, generalise)',
    );
  return masks;
}

/**
 * Rows not yet anonymised: some field with a null or fixed-value strategy still holds another value.
 * Hashes and random values cannot be recognised in SQL, so without such a field every due row is
 * read again (the maskers then leave recognisably masked values alone).
 */
function notYetAnonymised(masks: FieldMask[], notes: string[]): RowPredicate | undefined {
  const parts: RowPredicate[] = [];
  for (const mask of masks) {
    if (mask.strategy.strategy === 'null')
      parts.push({ kind: 'not', of: { kind: 'equals', column: mask.field, value: null } });
    if (mask.strategy.strategy === 'fixed_value')
      parts.push({ kind: 'compare', column: mask.field, operator: '<>', value: mask.strategy.value });
  }
  if (parts.length) return { kind: 'any', of: parts };
  if (masks.length)
    notes.push(
      'anonymised rows cannot be told apart in SQL (no field with a null or fixed_value strategy): counts include rows anonymised before',
    );
  return undefined;
}

/** Why a due row stays when a referencing row keeps it (the sweep reports the same words). */
export function keptByLinkReason(link: InboundLink): string {
  return link.heldWhile
    ? `${link.holderName} rows under a legal hold go with it (ON DELETE CASCADE)`
    : `still referenced by ${link.holderName} (${link.holderColumns.join(', ')}, ON DELETE ${link.onDelete.replace('_', ' ').toUpperCase()})`;
}

/**
 * Foreign keys pointing at this collection. RESTRICT / NO ACTION: a due row still referenced stays
 * (Steward never detaches other rows to make a deletion possible). CASCADE: the children go with
 * it, so a child under a legal hold that has not ended keeps its parent.
 */
function inboundLinks(
  view: DataMapView,
  system: DataMapSystem,
  collection: DataMapCollection,
  now: Date,
  problems: string[],
): InboundLink[] {
  const links: InboundLink[] = [];
  for (const edge of view.edgesOf({ system: system.id, collection: collection.name })) {
    if (
      !edge.foreignKey ||
      edge.target.collection !== collection.name ||
      edge.target.system !== system.id ||
      edge.holder.system !== system.id
    )
      continue;
    const onDelete = edge.foreignKey.onDelete;
    if (onDelete === 'set_null' || onDelete === 'set_default') continue;
    const holder = system.collections.find((c) => c.name === edge.holder.collection);
    if (!holder) continue;
    const link: InboundLink = {
      holder: collectionTarget(system, holder),
      holderName: holder.name,
      holderColumns: edge.fields.map((f) => f.holder),
      columns: edge.fields.map((f) => f.target),
      onDelete,
    };
    if (onDelete === 'cascade') {
      if (holder.erasure?.strategy !== 'keep') {
        links.push(link);
        continue;
      }
      const hold = holder.erasure;
      const anchor = hold.anchor;
      if (!hold.period)
        problems.push(
          `rows of ${holder.name} go with their ${collection.name} row (ON DELETE CASCADE) but are held indefinitely (${hold.article})`,
        );
      // Without an anchor of its own the child's hold runs with the parent's rows: the parent's rule covers it.
      link.heldWhile =
        hold.period && anchor
          ? { kind: 'compare', column: anchor, operator: '>=', value: subtractDuration(now, hold.period) }
          : undefined;
    }
    links.push(link);
  }
  return links;
}
