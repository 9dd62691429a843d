/** What consent checks need of a subject's latest TC string: the decoded sets, not the string's full expansion. */
export interface TcfSummary {
  id: string;
  purposeConsents: Set<number>;
  purposeLegitimateInterests: Set<number>;
  vendorConsents: Set<number>;
  vendorLegitimateInterests: Set<number>;
  specialFeatureOptins: Set<number>;
  lastUpdated: Date;
}
