import shipped from './data/adequacy-decisions.json' with { type: 'json' };

/** Who in the country the decision covers (GDPR Art. 45(1): "a territory or one or more specified sectors"). */
export type AdequacyScope = 'full' | 'commercial_organisations' | 'certified_organisations';

/** One adequacy decision of the Commission (GDPR Art. 45(3), or 95/46/EC kept by Art. 45(9)). */
export interface AdequacyDecision {
  /** ISO 3166-1 alpha-2. */
  country: string;
  name: string;
  /** Title and number as published, e.g. "Commission Implementing Decision (EU) 2023/1795 of 10 July 2023". */
  decision: string;
  /** Official Journal reference. */
  journal: string;
  /** YYYY-MM-DD; in force from that day. */
  adopted: string;
  /** YYYY-MM-DD, the last day it applies (sunset clauses only). */
  validUntil?: string;
  scope: AdequacyScope;
  note?: string;
}

/** The decisions shipped with Steward; their sources are in data/SOURCES.md. */
export const ADEQUACY_DECISIONS: readonly AdequacyDecision[] = shipped.decisions as AdequacyDecision[];

/** The date the shipped list was compiled, shown beside every transfer report. */
export const ADEQUACY_LIST_COMPILED_ON: string = shipped.compiledOn;

/** The decision covering `country` on the calendar day of `at` (UTC), if any. */
export function adequacyDecisionFor(
  country: string,
  at: Date,
  decisions: readonly AdequacyDecision[] = ADEQUACY_DECISIONS,
): AdequacyDecision | undefined {
  const day = at.toISOString().slice(0, 10);
  return decisions.find(
    (d) =>
      d.country === country.toUpperCase() &&
      d.adopted <= day &&
      (d.validUntil === undefined || day <= d.validUntil),
  );
}
