import { Metadata, type CountryCode } from 'libphonenumber-js/max';

/** The number types libphonenumber accepts as valid (getNumberType: fixed line first, then these in order). */
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

/** The parts of libphonenumber-js's numbering plan read here (its typings declare none of them). */
interface NumberingPlanView {
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

interface CompiledType {
  pattern: RegExp;
  lengths: ReadonlySet<number> | undefined;
}

const validators = new Map<string, (nationalNumber: string) => boolean>();

/**
 * Whether a national significant number is a valid number of the country — libphonenumber's
 * `isValid()` for a number already parsed (its national number pattern, then a fixed-line,
 * mobile or other type's length and pattern), with the country's patterns compiled once
 * instead of on every check. Masking draws many candidate numbers per source number; the
 * metadata (libphonenumber's full set) is the same, only the per-call parsing and regular
 * expression building is gone.
 */
export function phoneValidity(country: CountryCode): (nationalNumber: string) => boolean {
  const existing = validators.get(country);
  if (existing) return existing;
  const metadata = new Metadata();
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan as unknown as NumberingPlanView;
  const whole = entirely(plan.nationalNumberPattern());
  const types: CompiledType[] = [];
  if (plan.hasTypes()) {
    for (const name of TYPES) {
      const type = plan.type(name);
      const pattern = type?.pattern();
      // A type without a pattern (mobile numbers identical to fixed lines) matches nothing by itself.
      if (!type || !pattern) continue;
      const lengths = type.possibleLengths();
      types.push({ pattern: entirely(pattern), lengths: lengths ? new Set(lengths) : undefined });
    }
  }
  const hasTypes = plan.hasTypes();
  const validity = (nationalNumber: string) => {
    if (!whole.test(nationalNumber)) return false;
    if (!hasTypes) return true;
    for (const type of types) {
      if (type.lengths && !type.lengths.has(nationalNumber.length)) continue;
      if (type.pattern.test(nationalNumber)) return true;
    }
    return false;
  };
  validators.set(country, validity);
  return validity;
}

function entirely(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
