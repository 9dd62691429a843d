import type { ColumnFamily } from '../../../platform/datamap/datamap-types.ts';
import type { KeyedDigest } from './keyed-digest.ts';

/** Every transformer a masking rule can name (`--rule table.column=NAME`). */
export const TRANSFORMER_NAMES = [
  'keep',
  'null',
  'keyed_token',
  'keyed_id',
  'first_name',
  'last_name',
  'full_name',
  'company',
  'email',
  'phone',
  'street_address',
  'city',
  'postal_code',
  'state',
  'country',
  'address',
  'date_of_birth',
  'date_shift',
  'national_id',
  'iban',
  'card_number',
  'ip_address',
  'json',
  'numeric_noise',
  'generalise',
  'free_text',
] as const;

export type TransformerName = (typeof TRANSFORMER_NAMES)[number];

/** Options of a rule; each transformer reads the ones it understands. */
export interface RuleParams {
  /** json: JSONPath-like paths (`$.contact.email`, `$.items[*].name`) → transformer; absent = every string leaf gets keyed_token. */
  paths?: Record<string, TransformerName>;
  /** numeric_noise: the largest relative change, in percent (default 10). */
  noisePercent?: number;
  /** generalise: numbers are rounded down to a multiple of this (default 10). */
  step?: number;
  /** date_shift: the largest shift in days either way (default 30). */
  maxDays?: number;
}

/** What a transformer knows about the column it writes: read from the source's catalog. */
export interface ColumnFacts {
  table: string;
  name: string;
  family: ColumnFamily;
  /** The type as the database spells it. */
  rawType: string;
  /** Characters of a bounded text column. */
  length?: number;
  nullable: boolean;
  /** Part of a primary key or unique constraint (alone or with others). */
  unique: boolean;
}

/** Replaces one value, given and returned in the database's text form; null writes NULL. */
export type MaskValue = (value: string) => string | null;

/** Kinds of personal data a PII detector reports inside free text. */
export type FoundPiiKind =
  | 'email'
  | 'phone_number'
  | 'ip_address'
  | 'credit_card'
  | 'iban'
  | 'national_id'
  | 'postal_address'
  | 'person_name'
  | 'date_of_birth'
  | 'postal_code'
  | 'url'
  | 'mac_address';

/** Replaces the personal data a detector finds in free text by what `replace` returns for each finding. */
export type RedactText = (
  text: string,
  replace: (match: { kind: FoundPiiKind; text: string }) => string,
) => string;

/** Everything a transformer draws on besides the value: the keyed digest and the run's settings. */
export interface TransformerTools {
  digest: KeyedDigest;
  /** faker locale for names and addresses, e.g. `de`. */
  locale: string;
  /** ISO 3166-1 alpha-2 used to read phone numbers and IDs written without a country prefix. */
  defaultCountry: string;
  redactText?: RedactText;
  /** Another transformer's function for a column (json uses it for the leaves at its paths). */
  transformerFor(name: TransformerName, column: ColumnFacts, params: RuleParams): MaskValue;
}

/**
 * How the leak check looks for survivors of this transformer. `anywhere`: the outputs come from a
 * space so large that a source value found anywhere in the copy's column is a leak. `row`: outputs
 * come from a small dictionary (first names, cities) and may equal another person's real value,
 * so only a row still holding its own source value is a leak. `contains`: free text and JSON, where
 * another column's personal value must not appear inside. `none`: nothing personal is left to find.
 */
export type LeakCheckMode = 'anywhere' | 'row' | 'contains' | 'none';

export interface TransformerDefinition {
  name: TransformerName;
  leakCheck: LeakCheckMode;
  /** Column families it can write; another family is a rule problem found before copying. */
  families: readonly ColumnFamily[];
  create(column: ColumnFacts, tools: TransformerTools, params: RuleParams): MaskValue;
}

export const TEXT_FAMILIES: readonly ColumnFamily[] = ['text', 'other'];
