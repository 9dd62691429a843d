import type {
  ColumnFacts,
  MaskValue,
  RuleParams,
  TransformerDefinition,
  TransformerName,
  TransformerTools,
} from './transformer.ts';
import {
  addressTransformerFull,
  cityTransformer,
  countryTransformer,
  postalCodeTransformer,
  stateTransformer,
  streetAddressTransformer,
} from './transformers/address-transformers.ts';
import { cardNumberTransformer } from './transformers/card-number-transformer.ts';
import { dateOfBirthTransformer, dateShiftTransformer } from './transformers/date-transformers.ts';
import { emailTransformer } from './transformers/email-transformer.ts';
import { freeTextTransformer } from './transformers/free-text-transformer.ts';
import { ibanTransformer } from './transformers/iban-transformer.ts';
import { ipAddressTransformer } from './transformers/ip-address-transformer.ts';
import { jsonTransformer } from './transformers/json-transformer.ts';
import { keepTransformer, nullTransformer } from './transformers/keep-and-null-transformers.ts';
import { keyedIdTransformer } from './transformers/keyed-id-transformer.ts';
import { keyedTokenTransformer } from './transformers/keyed-token-transformer.ts';
import { nationalIdTransformer } from './transformers/national-id-transformer.ts';
import { generaliseTransformer, numericNoiseTransformer } from './transformers/numeric-transformers.ts';
import {
  companyTransformer,
  firstNameTransformer,
  fullNameTransformer,
  lastNameTransformer,
} from './transformers/person-name-transformers.ts';
import { phoneTransformer } from './transformers/phone-transformer.ts';

const DEFINITIONS: Record<TransformerName, TransformerDefinition> = {
  keep: keepTransformer,
  null: nullTransformer,
  keyed_token: keyedTokenTransformer,
  keyed_id: keyedIdTransformer,
  first_name: firstNameTransformer,
  last_name: lastNameTransformer,
  full_name: fullNameTransformer,
  company: companyTransformer,
  email: emailTransformer,
  phone: phoneTransformer,
  street_address: streetAddressTransformer,
  city: cityTransformer,
  postal_code: postalCodeTransformer,
  state: stateTransformer,
  country: countryTransformer,
  address: addressTransformerFull,
  date_of_birth: dateOfBirthTransformer,
  date_shift: dateShiftTransformer,
  national_id: nationalIdTransformer,
  iban: ibanTransformer,
  card_number: cardNumberTransformer,
  ip_address: ipAddressTransformer,
  json: jsonTransformer,
  numeric_noise: numericNoiseTransformer,
  generalise: generaliseTransformer,
  free_text: freeTextTransformer,
};

export function transformerDefinition(name: TransformerName): TransformerDefinition {
  return DEFINITIONS[name];
}

export { isTransformerName, parseTransformerName } from './transformer-names.ts';

/** Distinct values remembered per transformer and column shape: repeated values (an e-mail on every order) are masked once. */
const MEMO_SIZE = 16_384;
/**
 * Lookups per check of a memo's use: a full memo's worth at first (so a cycle of repeating values
 * shows), fewer on later checks. One that hits less than once in 16 is set aside for a while.
 */
const MEMO_PROBE = MEMO_SIZE;
const MEMO_REPROBE = 4096;
const MEMO_RESTS_FOR = 262_144;

/** One shape's memo: the values, and how often looking them up paid off lately. */
export interface MemoState {
  values: Map<string, string | null>;
  lookups: number;
  hits: number;
  /** Lookups until the next check of the hit rate. */
  probe: number;
  /** Values still to be masked without the memo: a column of distinct values pays for nothing but the bookkeeping. */
  resting: number;
}

/** Masked values shared by every column with the same transformer, settings and shape, within one run (one per thread). */
export type MaskMemo = Map<string, MemoState>;

/**
 * The function that masks one column's values under a rule. Equal inputs give equal outputs by
 * construction; the memo (shared by all columns whose output would be the same: the customers'
 * e-mails warm it for the orders' buyer e-mails) only saves recomputing them. It is dropped whole
 * when full, which keeps memory bounded whatever the table's size, and set aside for the next
 * 262,144 values when fewer than one lookup in 16 found anything (then tried again on 4,096:
 * values may start to repeat).
 */
export function createColumnMasker(
  name: TransformerName,
  column: ColumnFacts,
  params: RuleParams,
  tools: Omit<TransformerTools, 'transformerFor'>,
  memos: MaskMemo = new Map(),
): MaskValue {
  const fullTools: TransformerTools = {
    ...tools,
    transformerFor: (inner, innerColumn, innerParams) =>
      createColumnMasker(inner, innerColumn, innerParams, tools, memos),
  };
  const mask = DEFINITIONS[name].create(column, fullTools, params);
  if (name === 'keep' || name === 'null') return mask;
  const shape = JSON.stringify([name, params, column.family, column.length ?? null, column.nullable]);
  let memo = memos.get(shape);
  if (!memo)
    memos.set(shape, (memo = { values: new Map(), lookups: 0, hits: 0, probe: MEMO_PROBE, resting: 0 }));
  const state = memo;
  return (value) => {
    if (state.resting > 0) {
      state.resting--;
      return mask(value);
    }
    const known = state.values.get(value);
    if (known !== undefined || state.values.has(value)) {
      state.hits++;
      state.lookups++;
      return known ?? null;
    }
    const masked = mask(value);
    if (state.values.size >= MEMO_SIZE) state.values = new Map();
    state.values.set(value, masked);
    if (++state.lookups >= state.probe) {
      if (state.hits * 16 < state.lookups) {
        state.resting = MEMO_RESTS_FOR;
        state.probe = MEMO_REPROBE;
        state.values = new Map();
      }
      state.lookups = 0;
      state.hits = 0;
    }
    return masked;
  };
}
