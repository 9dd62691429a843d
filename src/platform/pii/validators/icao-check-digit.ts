/**
 * ICAO Doc 9303 check digit (weights 7-3-1, letters A=10 … Z=35), used by the German
 * Personalausweis serial number: nine characters followed by this digit.
 */
export function icaoCheckDigit(characters: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let index = 0; index < characters.length; index++) {
    const code = characters.charCodeAt(index);
    const value = code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 90 ? code - 55 : -1;
    if (value < 0) return -1;
    sum += value * weights[index % 3]!;
  }
  return sum % 10;
}

/** A German identity card serial (since 2010: letters from a reduced set, no vowels) with its check digit. */
export function isGermanIdCardNumber(value: string): boolean {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[CFGHJKLMNPRTVWXYZ][0-9CFGHJKLMNPRTVWXYZ]{8}\d$/.test(compact)) return false;
  // A serial made only of digits after the first letter is legal, but one of all-same characters is not.
  if (/^(.)\1+$/.test(compact.slice(1, 9))) return false;
  return icaoCheckDigit(compact.slice(0, 9)) === Number(compact[9]);
}
