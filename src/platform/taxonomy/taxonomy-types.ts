/** How the fideslang trees are stored: [key, name, description, replacedBy?]. */
export type FideslangEntry = readonly [key: string, name: string, description: string, replacedBy?: string];

export type TaxonomyKind = 'data_category' | 'data_use' | 'data_subject';

/** One node of a dotted taxonomy tree (`user.contact.email`'s parent is `user.contact`). */
export interface TaxonomyEntry {
  key: string;
  name: string;
  description: string;
  parent?: string;
  /** Set when the entry is deprecated: the key to use instead. */
  replacedBy?: string;
  /** Added by the operator's config rather than shipped with Steward. */
  custom: boolean;
}

/** The outcome of looking a key up: found, found but deprecated, or unknown with suggestions. */
export type TaxonomyLookup =
  | { status: 'known'; entry: TaxonomyEntry }
  | { status: 'deprecated'; entry: TaxonomyEntry; replacedBy: string }
  | { status: 'unknown'; suggestions: string[] };
