import { distance } from 'fastest-levenshtein';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import type { TaxonomyTree } from '../taxonomy/taxonomy-tree.ts';
import { checkPlainCredentials } from './check-plain-credentials.ts';
import { checkRetentionRule } from './check-retention-rule.ts';
import { checkHttpEndpoints } from './check-http-endpoints.ts';
import { collectionKey, reachableCollections } from './datamap-reachability.ts';
import type { DataMapLocator } from './datamap-locator.ts';
import type { DataMap, DataMapCollection, DataMapField, DataMapSystem } from './datamap-types.ts';
import { effectiveErasure } from './effective-erasure.ts';
import { checkErasureFit } from './erasure-fit.ts';
import { checkAnchor } from './check-anchor.ts';

/**
 * The checks that need the whole merged data map: taxonomy keys, identities, keys and references,
 * reachability from an identity, erasure strategies against column types, legal holds against
 * retention, credentials and HTTP endpoints. Problems go to the locator, pointing at the YAML line.
 */
export function validateDataMap(dataMap: DataMap, taxonomy: Taxonomy, locator: DataMapLocator): void {
  const identityNames = new Set(dataMap.identities.map((i) => i.name));
  for (const system of dataMap.systems) {
    checkPlainCredentials(system, locator);
    for (const collection of system.collections) {
      checkCollection(system, collection, taxonomy, identityNames, locator);
      checkHttpEndpoints(system, collection, dataMap, locator);
      if (collection.retention) checkRetentionRule(collection, collection.retention, locator);
    }
  }
  checkReachability(dataMap, locator);
}

function checkCollection(
  system: DataMapSystem,
  collection: DataMapCollection,
  taxonomy: Taxonomy,
  identities: Set<string>,
  locator: DataMapLocator,
): void {
  const subject = `${system.id}.${collection.name}`;
  const fieldNames = collection.fields.map((f) => f.name);
  collection.primaryKey.forEach((column, index) => {
    if (!fieldNames.includes(column)) {
      locator.report(collection, ['primaryKey', index], {
        code: 'datamap.primary_key_missing_field',
        subject,
        message: `primary-key column "${column}" is not among the collection's fields`,
        fix: `add a field named "${column}" or correct the primary key`,
      });
    }
  });
  collection.purposes.forEach((purpose, index) =>
    checkKey(taxonomy.uses, purpose.use, collection, ['purposes', index, 'use'], subject, locator),
  );
  collection.dataSubjects.forEach((key, index) =>
    checkKey(taxonomy.subjects, key, collection, ['dataSubjects', index], subject, locator),
  );
  if (collection.erasure?.strategy === 'keep' && collection.erasure.anchor)
    checkAnchor(collection, collection.erasure.anchor, collection, ['erasure', 'anchor'], locator);
  for (const field of collection.fields) checkField(system, collection, field, taxonomy, identities, locator);
}

function checkField(
  system: DataMapSystem,
  collection: DataMapCollection,
  field: DataMapField,
  taxonomy: Taxonomy,
  identities: Set<string>,
  locator: DataMapLocator,
): void {
  const subject = `${system.id}.${collection.name}.${field.name}`;
  field.categories.forEach((key, index) =>
    checkKey(taxonomy.categories, key, field, ['categories', index], subject, locator),
  );
  field.purposes.forEach((purpose, index) =>
    checkKey(taxonomy.uses, purpose.use, field, ['purposes', index, 'use'], subject, locator),
  );
  if (field.identity && !identities.has(field.identity)) {
    const close = [...identities].find((name) => distance(name, field.identity as string) <= 2);
    locator.report(field, ['identity'], {
      severity: 'warning',
      code: 'datamap.undeclared_identity',
      subject,
      message: `identity "${field.identity}" is not declared, so its values compare exactly${close ? ` — did you mean "${close}"?` : ''}`,
      fix: `declare it under \`identities:\` (with match: exact | case_insensitive | e164)${close ? ` or use "${close}"` : ''}`,
    });
  }
  field.references.forEach((reference, index) => {
    if (reference.foreignKey?.onDelete === 'set_null' && field.nullable === false) {
      locator.report(field, ['references', index, 'onDelete'], {
        code: 'datamap.set_null_on_not_null',
        subject,
        message: 'ON DELETE SET NULL on a NOT NULL column cannot happen',
        fix: 'check the foreign key in the database and set onDelete (or nullable) to what it really is',
      });
    }
  });
  checkOtherSubject(collection, field, subject, locator);
  checkFieldErasure(collection, field, subject, locator);
}

function checkOtherSubject(
  collection: DataMapCollection,
  field: DataMapField,
  subject: string,
  locator: DataMapLocator,
): void {
  if (field.otherSubject && collection.primaryKey.includes(field.name)) {
    locator.report(field, ['otherSubject'], {
      code: 'datamap.other_subject_key',
      subject,
      message: `the field is part of the primary key, so it identifies the row, which belongs to the row's subject, not to a ${field.otherSubject}`,
      fix: 'remove otherSubject from the key column, or model the other person in a collection of their own',
    });
  }
  if (field.paths?.length && field.type && field.type.family !== 'json' && field.type.family !== 'text') {
    locator.report(field, ['paths'], {
      code: 'datamap.paths_not_json',
      subject,
      message: `paths describe values inside a JSON column, but the column's type is ${field.type.raw}`,
      fix: 'remove paths, or correct the type to json/jsonb',
    });
  }
}

function checkFieldErasure(
  collection: DataMapCollection,
  field: DataMapField,
  subject: string,
  locator: DataMapLocator,
): void {
  if (field.erasure?.strategy === 'delete_row') {
    locator.report(field, ['erasure'], {
      code: 'datamap.delete_row_on_field',
      subject,
      message: 'delete_row removes the whole row, so it belongs to the collection, not to one field',
      fix: 'move `erasure: delete_row` to the collection',
    });
    return;
  }
  if (field.erasure?.strategy === 'keep') {
    if (field.erasure.anchor)
      checkAnchor(collection, field.erasure.anchor, field, ['erasure', 'anchor'], locator);
    if (collection.erasure?.strategy === 'delete_row') {
      locator.report(field, ['erasure'], {
        code: 'datamap.hold_in_deleted_row',
        subject,
        message: `the field is kept (${field.erasure.article}) but the collection's strategy delete_row would delete it with its row`,
        fix: 'give the collection a masking strategy (e.g. null) so held fields survive, or move the hold to the collection',
      });
    }
    return;
  }
  const strategy = effectiveErasure(collection, field);
  if (!strategy) return;
  const own = field.erasure !== undefined;
  if (strategy.strategy === 'hash') {
    locator.report(own ? field : collection, ['erasure'], {
      code: 'datamap.unkeyed_hash',
      subject,
      message:
        'hash is an unkeyed digest: anyone who can guess a value (an e-mail, a phone number) recomputes it and finds the row again, so the value is pseudonymised (GDPR Recital 26), not erased or anonymised',
      fix: 'use { strategy: hmac, key: secret:NAME } (keyed, the key held by Steward and rotatable), null, fixed_value, random or generalise; write pseudonymise instead of hash only if pseudonymised data is what you mean (an erasure using it is then reported as not complete)',
    });
    return;
  }
  if (strategy.strategy === 'pseudonymise') {
    const anonymised = collection.retention?.action === 'anonymise';
    locator.report(own ? field : collection, ['erasure'], {
      severity: anonymised ? 'error' : 'warning',
      code: anonymised ? 'datamap.pseudonymise_in_anonymisation' : 'datamap.pseudonymisation',
      subject,
      message: anonymised
        ? "pseudonymise keeps the value linkable (an unkeyed digest), but the collection's retention rule anonymises"
        : 'pseudonymise keeps the value linkable (an unkeyed digest is still personal data, GDPR Recital 26): an erasure that uses it is reported as partially completed',
      fix: 'use hmac with a Steward secret, null, fixed_value, random or generalise if the value must be erased or anonymised',
    });
    if (anonymised) return;
  }
  const misfit = checkErasureFit(strategy, field, collection.primaryKey.includes(field.name));
  if (!misfit) return;
  locator.report(own ? field : collection, own ? ['erasure'] : ['erasure'], {
    code: 'datamap.erasure_misfit',
    subject,
    message: `${misfit.message}${own ? '' : " (the collection's default strategy applies to this field)"}`,
    fix: own ? misfit.fix : `give field "${field.name}" its own erasure strategy: ${misfit.fix}`,
  });
}

function checkKey(
  tree: TaxonomyTree,
  key: string,
  at: object,
  path: (string | number)[],
  subject: string,
  locator: DataMapLocator,
): void {
  const found = tree.lookup(key);
  const label = tree.kind.replace('_', ' ');
  if (found.status === 'known') return;
  if (found.status === 'deprecated') {
    locator.report(at, path, {
      severity: 'warning',
      code: 'datamap.deprecated_key',
      subject,
      message: `${label} "${key}" is deprecated in fideslang`,
      fix: `use "${found.replacedBy}"`,
    });
    return;
  }
  const hint = found.suggestions.length
    ? ` — did you mean ${found.suggestions.map((s) => `"${s}"`).join(' or ')}?`
    : '';
  locator.report(at, path, {
    code: `datamap.unknown_${tree.kind}`,
    subject,
    message: `unknown ${label} "${key}"${hint}`,
    fix: `use a key of the taxonomy (steward datamap show --taxonomy) or add it to taxonomy.${tree.kind === 'data_category' ? 'dataCategories' : tree.kind === 'data_use' ? 'dataUses' : 'dataSubjects'} in steward.yaml`,
  });
}

function checkReachability(dataMap: DataMap, locator: DataMapLocator): void {
  const reached = reachableCollections(dataMap);
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      const key = collectionKey({ system: system.id, collection: collection.name });
      const personal = collection.fields.some((f) => f.categories.some((c) => !c.startsWith('system')));
      // A broken reference is reported already; judging reachability without it would only repeat it.
      if (!personal || reached.has(key) || locator.isUnresolved(collection)) continue;
      locator.report(collection, ['name'], {
        code: 'datamap.unreachable_collection',
        subject: key,
        message: `collection holds personal data but no request can reach it: ${explainUnreachable(dataMap, key)}`,
        fix: "mark the field that holds the subject's identity with `identity:`, or add a reference (with direction from) to a field of a reachable collection",
      });
    }
  }
}

function explainUnreachable(dataMap: DataMap, key: string): string {
  const linked = dataMap.edges.filter(
    (e) => collectionKey(e.holder) === key || collectionKey(e.target) === key,
  );
  if (!linked.length)
    return 'none of its fields is an identity, and no reference links it to another collection';
  const wrongWay = linked.filter((e) => collectionKey(e.holder) === key && e.direction === 'to');
  const others = linked.map((e) =>
    collectionKey(e.holder) === key ? collectionKey(e.target) : collectionKey(e.holder),
  );
  if (wrongWay.length) {
    return `none of its fields is an identity, and its reference${wrongWay.length > 1 ? 's' : ''} to ${wrongWay.map((e) => collectionKey(e.target)).join(', ')} point${wrongWay.length > 1 ? '' : 's'} away from it (direction: to)`;
  }
  return `none of its fields is an identity, and the collections it is linked to (${[...new Set(others)].join(', ')}) are themselves unreachable from any identity`;
}
