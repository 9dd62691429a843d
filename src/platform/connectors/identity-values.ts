import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { IdentityMatch } from '../datamap/datamap-types.ts';
import { normalisePhoneText } from './row-predicate.ts';

/**
 * One identity value in the form the data map compares it in: e-mails lower-cased (mailbox
 * providers treat them case-insensitively), phone numbers in E.164 (`06 44 58 92 42` with region
 * FR, `0033 6 44…` and `+33 6 44…` all become `+33644589242`). A phone that cannot be parsed keeps
 * its digits and `+`. The same function keys the erased-subject journal, so a replay matches what
 * the erasure matched.
 */
export function normaliseIdentityValue(match: IdentityMatch, value: string, region?: string): string {
  const trimmed = value.trim();
  if (match === 'case_insensitive') return trimmed.toLowerCase();
  if (match === 'e164') return e164Of(trimmed, region) ?? normalisePhoneText(trimmed);
  return trimmed;
}

/** E.164 of a phone number, or undefined when it is not a possible number. */
export function e164Of(text: string, region?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text, region ? { defaultCountry: region as CountryCode } : {});
  return parsed?.isPossible() ? parsed.number : undefined;
}

/**
 * The stored forms one E.164 number may take once a column is normalised the connector's way
 * (digits and `+`, a leading `00` read as `+`): the number itself, and, when the data map says the
 * identity's numbers are written nationally in `region` and the number is from there, its national
 * form (`+33644589242` → `0644589242` for FR). Without a region a national form is not matched: it
 * would equally be someone's number in another country.
 */
export function phoneCandidates(e164: string, region?: string): string[] {
  const candidates = [e164];
  if (!region) return candidates;
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed?.country === region) {
    const national = normalisePhoneText(parsed.formatNational());
    if (national !== e164) candidates.push(national);
  }
  return candidates;
}

/** The class of a stored phone value, for telling whether a column's numbers can be matched. */
export type StoredPhoneForm = 'international' | 'national' | 'unparseable';

/** How one stored value is written: with a country code (`+…`, `00…`), nationally, or not a phone at all. */
export function storedPhoneForm(value: string): StoredPhoneForm {
  const normalised = normalisePhoneText(value);
  if (normalised.startsWith('+'))
    return parsePhoneNumberFromString(normalised)?.isPossible() ? 'international' : 'unparseable';
  return /^\d{4,15}$/.test(normalised) ? 'national' : 'unparseable';
}
