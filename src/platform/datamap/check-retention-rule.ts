import type { DataMapLocator } from './datamap-locator.ts';
import type { DataMapCollection, KeepStrategy, RetentionRule } from './datamap-types.ts';
import { isAtLeast } from './duration.ts';
import { checkAnchor } from './check-anchor.ts';

/**
 * A retention rule must name real fields, and may never remove data under a legal hold before the
 * hold ends (GDPR Art. 17(3) grounds outrank the storage-limitation principle of Art. 5(1)(e) only
 * for the period the law requires): `delete` must keep rows at least as long as every hold in the
 * collection; `anonymise` masks fields, so only a hold on the whole collection constrains it.
 */
export function checkRetentionRule(
  collection: DataMapCollection,
  rule: RetentionRule,
  locator: DataMapLocator,
): void {
  const subject = `${collection.system}.${collection.name}`;
  checkAnchor(collection, rule.anchor, collection, ['retention', 'anchor'], locator);
  for (const name of Object.keys(rule.where ?? {})) {
    if (!collection.fields.some((f) => f.name === name)) {
      locator.report(collection, ['retention', 'where', name], {
        code: 'datamap.retention_unknown_field',
        subject,
        message: `retention condition on "${name}", which is not a field of ${subject}`,
        fix: 'name a field of the collection',
      });
    }
  }
  for (const { hold, path } of holdsConstraining(collection, rule)) {
    if (!hold.period) {
      locator.report(collection, ['retention', 'keepFor'], {
        code: 'datamap.retention_breaks_hold',
        subject,
        message: `retention would ${rule.action} data after ${rule.keepFor}, but ${path} is held indefinitely (${hold.article}: ${hold.reason})`,
        fix: 'give the hold a period, or use action anonymise with the held fields kept',
      });
      continue;
    }
    if (!isAtLeast(rule.keepFor, hold.period)) {
      locator.report(collection, ['retention', 'keepFor'], {
        code: 'datamap.retention_breaks_hold',
        subject,
        message: `retention would ${rule.action} data after ${rule.keepFor}, before the legal hold on ${path} ends (${hold.period}, ${hold.article}: ${hold.reason})`,
        fix: `set keepFor to at least ${hold.period}`,
      });
      continue;
    }
    const holdAnchor = hold.anchor;
    if (holdAnchor && holdAnchor !== rule.anchor) {
      locator.report(collection, ['retention', 'anchor'], {
        severity: 'warning',
        code: 'datamap.retention_anchor_differs',
        subject,
        message: `the hold on ${path} runs from "${holdAnchor}" but the rule from "${rule.anchor}"; a row can be due under the rule while still held`,
        fix: `use the same anchor ("${holdAnchor}"), or rely on the sweep re-checking the hold per row`,
      });
    }
  }
}

function holdsConstraining(
  collection: DataMapCollection,
  rule: RetentionRule,
): { hold: KeepStrategy; path: string }[] {
  const holds: { hold: KeepStrategy; path: string }[] = [];
  if (collection.erasure?.strategy === 'keep')
    holds.push({ hold: collection.erasure, path: 'the collection' });
  if (rule.action === 'delete') {
    for (const field of collection.fields)
      if (field.erasure?.strategy === 'keep')
        holds.push({ hold: field.erasure, path: `field "${field.name}"` });
  }
  return holds;
}
