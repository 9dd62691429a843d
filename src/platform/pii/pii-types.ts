/** The kinds of personal data the detector knows. Stable strings: discovery maps them to fideslang categories. */
export const PII_TYPES = [
  'email',
  'phone_number',
  'ip_address',
  'credit_card',
  'iban',
  'national_id',
  'postal_address',
  'person_name',
  'date_of_birth',
  'postal_code',
  'url',
  'mac_address',
] as const;

export type PiiType = (typeof PII_TYPES)[number];

export const LANGUAGES = ['en', 'de', 'fr'] as const;

export type Language = (typeof LANGUAGES)[number];

/** One piece of personal data found in free text; `start`/`end` are UTF-16 offsets, end exclusive. */
export interface PiiFinding {
  type: PiiType;
  start: number;
  end: number;
  /** Confidence 0..1 after context words were taken into account. */
  score: number;
  /** The detector that produced it, e.g. `iban-mod97`, `phone-libphonenumber`, `name-lexicon`. */
  detector: string;
  /** A finer kind where one exists: `DE` for an IBAN, `fr.nir` for a national id, `visa` for a card. */
  subtype?: string;
}

/** What one whole value (a column cell, a JSON leaf) validly is. */
export interface ValueMatch {
  type: PiiType;
  /**
   * 0..1. From 0.5 up a validator accepted the value (checksum, numbering plan, lexicon, pattern);
   * below 0.5 only its shape fits (five digits as a postcode, a past date as a birth date), which
   * proves something only together with the column's name.
   */
  score: number;
  /** The check that accepted it, e.g. `luhn-iin`, `iban-mod97`, `stdnum:de.idnr`. */
  validator: string;
  subtype?: string;
}

export interface DetectOptions {
  /** Languages whose context words, street types, names and phone regions apply; default all. */
  languages?: readonly Language[];
  /** Only these types; default all. */
  types?: readonly PiiType[];
  /** Findings scoring below this are dropped; default 0.5. */
  minScore?: number;
}

export interface ClassifyOptions {
  languages?: readonly Language[];
}
