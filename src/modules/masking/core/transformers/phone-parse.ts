import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** What masking reads of a parsed phone number. */
export interface ParsedPhone {
  country: CountryCode | undefined;
  nationalNumber: string;
  /** E.164. */
  number: string;
}

/** The parts of libphonenumber-js's metadata read here (its typings declare few of them). */
interface MetadataView {
  hasCallingCode(callingCode: string): boolean;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  selectNumberingPlan(country: string): void;
  numberingPlan: { nationalPrefixForParsing(): string | undefined };
}

const metadata = new Metadata() as unknown as MetadataView;
/** Per calling code: its one country and that country's national prefix pattern; null where parsing must decide. */
const byCallingCode = new Map<string, { country: CountryCode; nationalPrefix: RegExp | undefined } | null>();

/**
 * libphonenumber's parsePhoneNumberFromString, with a shortcut for the commonest way databases
 * store numbers: E.164 (`+4915123456789`) with a calling code that belongs to one country. For
 * those, libphonenumber's parse comes down to taking the first digits that form a calling code,
 * the rest being the national number — unless the rest begins with the country's national prefix
 * (which libphonenumber may strip), so such numbers, like every other writing, are parsed by
 * libphonenumber itself. The tests compare the two on numbers of every calling code.
 */
export function parsePhone(value: string, defaultCountry: CountryCode): ParsedPhone | undefined {
  const quick = parseE164(value);
  if (quick) return quick;
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  return parsed
    ? {
        country: parsed.country,
        nationalNumber: String(parsed.nationalNumber),
        number: String(parsed.number),
      }
    : undefined;
}

/** The E.164 shortcut; undefined where libphonenumber must parse. */
function parseE164(value: string): ParsedPhone | undefined {
  // `+`, no leading zero in the calling code, digits only, a national number of 2 to 17 digits.
  if (value.length < 4 || value.length > 21 || value.charCodeAt(0) !== 43 || value.charCodeAt(1) === 48)
    return;
  for (let i = 1; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return;
  }
  for (let end = 2; end <= 4 && end <= value.length; end++) {
    const callingCode = value.slice(1, end);
    if (!metadata.hasCallingCode(callingCode)) continue;
    // Calling codes are prefix-free: the first one found is the one.
    const plan = planOf(callingCode);
    const nationalNumber = value.slice(end);
    if (!plan || nationalNumber.length < 2 || nationalNumber.length > 17) return;
    if (plan.nationalPrefix?.test(nationalNumber)) return;
    return { country: plan.country, nationalNumber, number: value };
  }
  return;
}

function planOf(callingCode: string): { country: CountryCode; nationalPrefix: RegExp | undefined } | null {
  let plan = byCallingCode.get(callingCode);
  if (plan !== undefined) return plan;
  const countries = metadata.getCountryCodesForCallingCode(callingCode);
  // Shared calling codes (the NANP's +1, +44, +7…) choose a country by the national number: libphonenumber decides.
  if (countries?.length !== 1 || countries[0]!.length !== 2) plan = null;
  else {
    metadata.selectNumberingPlan(countries[0]!);
    const prefix = metadata.numberingPlan.nationalPrefixForParsing();
    plan = {
      country: countries[0] as CountryCode,
      nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    };
  }
  byCallingCode.set(callingCode, plan);
  return plan;
}
