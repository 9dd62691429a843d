/**
 * The European Economic Area: the 27 EU member states plus Iceland, Liechtenstein and Norway (EEA
 * Agreement, with the GDPR incorporated by EEA Joint Committee Decision 154/2018). A transfer in the
 * sense of GDPR Chapter V (Art. 44) is a flow of personal data to a country outside this list.
 * ISO 3166-1 alpha-2; Greece is GR (not the EU's own abbreviation EL).
 */
// prettier-ignore
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT',
  'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  'IS', 'LI', 'NO',
]);

export function isInEea(country: string): boolean {
  return EEA_COUNTRIES.has(country.toUpperCase());
}
