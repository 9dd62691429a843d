import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { Taxonomy } from '../../../platform/taxonomy/taxonomy.ts';

/**
 * CCPA/CPRA rights that work as purposes of their own, so they are checked, withdrawn (opted out
 * of) and propagated exactly like consents: the sale or sharing of personal information
 * (Cal. Civ. Code §1798.120, §1798.135) and the use of sensitive personal information beyond what
 * §1798.121(a) permits.
 */
export const CCPA_PURPOSES = {
  saleAndSharing: 'ccpa.sale_sharing',
  sensitivePersonalInformation: 'ccpa.sensitive_pi',
} as const;

const BUILT_IN = new Set<string>(Object.values(CCPA_PURPOSES));
const TCF_PURPOSE = /^tcf\.(purpose|vendor|special_feature)\.[1-9][0-9]{0,4}$/;

/** True for purposes Steward knows without the taxonomy (CCPA rights). */
export function isBuiltInPurpose(purpose: string): boolean {
  return BUILT_IN.has(purpose);
}

/** True for the keys a TC string answers: `tcf.purpose.<n>`, `tcf.vendor.<id>`, `tcf.special_feature.<n>`. */
export function isTcfPurpose(purpose: string): boolean {
  return TCF_PURPOSE.test(purpose);
}

/**
 * A purpose must be a data use of the taxonomy (fideslang or the operator's own) or a built-in CCPA
 * purpose. A deprecated data use is refused with its successor, since consents must name the use
 * the data map uses.
 */
export function assertKnownPurpose(taxonomy: Taxonomy, purpose: string): void {
  if (isBuiltInPurpose(purpose)) return;
  const found = taxonomy.uses.lookup(purpose);
  if (found.status === 'known') return;
  if (found.status === 'deprecated') {
    throw new InvalidInput(
      'consent.purpose_deprecated',
      `Purpose "${purpose}" is a deprecated data use; use "${found.replacedBy}".`,
      { purpose, replacedBy: found.replacedBy },
    );
  }
  const hint = found.suggestions.length
    ? ` Did you mean ${found.suggestions.map((s) => `"${s}"`).join(' or ')}?`
    : '';
  throw new InvalidInput(
    'consent.unknown_purpose',
    `Purpose "${purpose}" is not a data use in the taxonomy, nor one of ${[...BUILT_IN].join(', ')}.${hint} Add custom uses in the taxonomy section of steward.yaml.`,
    { purpose, suggestions: found.suggestions },
  );
}
