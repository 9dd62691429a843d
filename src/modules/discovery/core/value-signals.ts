import validator from 'validator';
import { classifyValue, detectPii, type PiiType } from '../../../platform/pii/index.ts';
import { CATEGORY_OF_TYPE, DECISIVE_TYPES } from './category-map.ts';

/** What the sampled values of one column say: per category, the share of values that passed. */
export interface ValueSignal {
  category: string;
  /** Which check: a validator (`email`, `iban` …), or `text:<type>` for free text. */
  validator: string;
  matched: number;
  sampled: number;
  /** Share of values passing × how much passing proves (a checksum proves more than a shape). */
  weight: number;
  /** A structural or checksum validator accepted most values: the column holds this data. */
  decisive: boolean;
}

/**
 * Distinct values validated per column: validation costs microseconds per value (phone parsing,
 * checksums), so the share passing is measured on the first distinct values of the sample, each
 * weighted by how often it occurs. 64 gives the share within about ±12 % (95 %).
 */
export const DISTINCT_VALUES_CLASSIFIED = 64;

/** Values longer than this on average are free text: searched with the detector, not validated whole. */
const FREE_TEXT_LENGTH = 80;
const STRENGTH: Record<PiiType, number> = {
  email: 1,
  phone_number: 0.9,
  ip_address: 1,
  credit_card: 1,
  iban: 1,
  national_id: 0.9,
  mac_address: 0.9,
  person_name: 0.75,
  postal_address: 0.8,
  date_of_birth: 0.45,
  postal_code: 0.35,
  url: 0.2,
};
const GENDERS = new Set([
  'm',
  'f',
  'w',
  'd',
  'x',
  'male',
  'female',
  'diverse',
  'other',
  'männlich',
  'weiblich',
  'divers',
  'homme',
  'femme',
  'autre',
  'man',
  'woman',
  'non-binary',
]);
const LONGEST_GENDER = Math.max(...[...GENDERS].map((gender) => gender.length));

/**
 * Runs the platform's validators (`classifyValue`) over every sampled value, or its free-text
 * detector over long values, and counts per type how many pass. Only counts leave this function.
 */
export function valueSignals(values: readonly string[]): ValueSignal[] {
  const occurrences = new Map<string, number>();
  for (const raw of values) {
    const value = raw.trim();
    if (!value) continue;
    const seen = occurrences.get(value);
    if (seen !== undefined) occurrences.set(value, seen + 1);
    else if (occurrences.size < DISTINCT_VALUES_CLASSIFIED) occurrences.set(value, 1);
  }
  const present = [...occurrences.keys()];
  if (!present.length) return [];
  const total = [...occurrences.values()].reduce((a, b) => a + b, 0);
  const averageLength = present.reduce((sum, v) => sum + v.length, 0) / present.length;
  const counts = new Map<
    string,
    { category: string; matched: number; strength: number; decisive: boolean }
  >();
  const count = (key: string, category: string, strength: number, decisive: boolean, value: string) => {
    const entry = counts.get(key) ?? { category, matched: 0, strength, decisive };
    entry.matched += occurrences.get(value)!;
    counts.set(key, entry);
  };
  if (averageLength > FREE_TEXT_LENGTH) {
    for (const value of present) {
      const types = new Set(detectPii(value.slice(0, 4000)).map((finding) => finding.type));
      for (const type of types) count(`text:${type}`, CATEGORY_OF_TYPE[type], STRENGTH[type], false, value);
    }
  } else {
    for (const value of present) {
      const types = new Set(classifyValue(value).map((match) => match.type));
      for (const type of types)
        count(type, CATEGORY_OF_TYPE[type], STRENGTH[type], DECISIVE_TYPES.has(type), value);
      // Case mapping never shortens a string: a longer value cannot be a gender word or a country code.
      if (value.length <= LONGEST_GENDER && GENDERS.has(value.toLowerCase()))
        count('gender', 'user.demographic.gender', 0.6, false, value);
      if (value.length <= 3 && (validator.isISO31661Alpha2(value) || validator.isISO31661Alpha3(value)))
        count('iso-3166', 'user.contact.address.country', 0.5, false, value);
    }
  }
  return [...counts].map(([key, entry]) => {
    const share = entry.matched / total;
    return {
      category: entry.category,
      validator: key,
      matched: entry.matched,
      sampled: total,
      weight: share * entry.strength,
      decisive: entry.decisive && share >= 0.5,
    };
  });
}
