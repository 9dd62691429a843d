/** Membership of a decoded id set: a Set for purposes, ranges for vendors (see id-ranges.ts). */
export interface IdSet {
  has(id: number): boolean;
}

/** What consent checks need of a subject's latest TC string: the decoded sets, not the string's full expansion. */
export interface TcfSummary {
  id: string;
  purposeConsents: IdSet;
  purposeLegitimateInterests: IdSet;
  vendorConsents: IdSet;
  vendorLegitimateInterests: IdSet;
  specialFeatureOptins: IdSet;
  lastUpdated: Date;
}
