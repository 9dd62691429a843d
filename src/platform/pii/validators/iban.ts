import { countrySpecs, electronicFormatIBAN, isValidIBAN } from 'ibantools';

/** The country of a valid IBAN (ISO 13616, mod-97 check digits and the country's BBAN format), or undefined. */
export function ibanCountry(value: string): string | undefined {
  const compact = electronicFormatIBAN(value);
  if (!compact || compact.length < 15 || !isValidIBAN(compact)) return undefined;
  return compact.slice(0, 2);
}

/** The total length of an IBAN of that country, or undefined when the country has none. */
export function ibanLength(country: string): number | undefined {
  return countrySpecs[country]?.chars;
}
