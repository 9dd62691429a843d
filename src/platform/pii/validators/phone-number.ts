import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Language } from '../pii-types.ts';

/** Where a number written in national format (no +country code) is most likely from, per language. */
export const PHONE_REGIONS: Readonly<Record<Language, readonly CountryCode[]>> = {
  en: ['US', 'GB'],
  de: ['DE', 'AT', 'CH'],
  fr: ['FR', 'BE', 'CH'],
};

export interface PhoneCheck {
  /** ISO 3166 region the number belongs to, e.g. `DE`. */
  region: string;
  /** Written with a country code (+49 …, 0049 …): unambiguous. */
  international: boolean;
}

const PHONE_SHAPE = /^(?:\+|00)?[\d\s().\-/]{6,22}$/;
/** Dates and IPv4 addresses are digit groups too, never phone numbers. */
const NOT_A_PHONE = /^\d{1,4}([./-])\d{1,2}\1\d{1,4}(?:$|[\sT])|^\d{1,3}(?:\.\d{1,3}){3}$/;
/** North American numbering plan regions: no trunk prefix, ten digits. */
const NANP = new Set(['US', 'CA']);

/** Counts digits without allocating. */
export function countDigits(value: string): number {
  let digits = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/**
 * Validates a whole value as a phone number with libphonenumber's full metadata: international
 * numbers on their own, national ones against each region of the given languages in turn.
 */
export function checkPhoneNumber(value: string, regions: readonly CountryCode[]): PhoneCheck | undefined {
  if (!PHONE_SHAPE.test(value)) return undefined;
  const digits = countDigits(value);
  if (digits < 7 || digits > 15) return undefined;
  const trimmed = value.trim();
  if (NOT_A_PHONE.test(trimmed)) return undefined;
  if (trimmed.startsWith('+') || trimmed.startsWith('00')) {
    const international = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
    const parsed = parsePhoneNumberFromString(international);
    return parsed?.isValid() && parsed.country ? { region: parsed.country, international: true } : undefined;
  }
  // A national number starts with the trunk prefix 0 in Europe; in NANP it has ten digits (eleven with the 1).
  const trunk = /^\(?0/.test(trimmed);
  const nanpLength = digits === 10 || (digits === 11 && /^\(?1/.test(trimmed));
  for (const region of regions) {
    if (NANP.has(region) ? !nanpLength : !trunk) continue;
    const parsed = parsePhoneNumberFromString(trimmed, region);
    if (parsed?.isValid()) return { region: parsed.country ?? region, international: false };
  }
  return undefined;
}
