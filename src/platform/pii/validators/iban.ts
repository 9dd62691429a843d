import { ValidationErrorsIBAN, countrySpecs, electronicFormatIBAN, validateIBAN } from 'ibantools';

export interface IbanCheck {
  country: string;
  /**
   * The country's own bank/branch/account check digits (FR RIB key, ES DC …) hold too. When only they
   * fail, the number still passes ISO 13616 mod-97: a real account number mistyped or a test one.
   */
  nationalCheckDigits: boolean;
}

/** Checks a whole value as an IBAN (country length and format, ISO 7064 mod-97); undefined when it is none. */
export function checkIban(value: string): IbanCheck | undefined {
  const compact = electronicFormatIBAN(value);
  if (!compact || compact.length < 15) return undefined;
  const { valid, errorCodes } = validateIBAN(compact);
  if (valid) return { country: compact.slice(0, 2), nationalCheckDigits: true };
  const onlyNational =
    errorCodes.length > 0 &&
    errorCodes.every((code) => code === ValidationErrorsIBAN.WrongAccountBankBranchChecksum);
  return onlyNational ? { country: compact.slice(0, 2), nationalCheckDigits: false } : undefined;
}

/** The total length of an IBAN of that country, or undefined when the country has none. */
export function ibanLength(country: string): number | undefined {
  return countrySpecs[country]?.chars;
}
