/** Card brand by issuer identification number (IIN) prefix and length, ISO/IEC 7812. */
interface CardBrand {
  name: string;
  lengths: readonly number[];
  matches(digits: string): boolean;
}

const prefixBetween = (digits: string, size: number, low: number, high: number): boolean => {
  const prefix = Number(digits.slice(0, size));
  return prefix >= low && prefix <= high;
};

const BRANDS: readonly CardBrand[] = [
  { name: 'amex', lengths: [15], matches: (d) => d.startsWith('34') || d.startsWith('37') },
  { name: 'visa', lengths: [13, 16, 19], matches: (d) => d.startsWith('4') },
  {
    name: 'mastercard',
    lengths: [16],
    matches: (d) => prefixBetween(d, 2, 51, 55) || prefixBetween(d, 4, 2221, 2720),
  },
  {
    name: 'discover',
    lengths: [16, 19],
    matches: (d) => d.startsWith('6011') || d.startsWith('65') || prefixBetween(d, 3, 644, 649),
  },
  { name: 'jcb', lengths: [16, 17, 18, 19], matches: (d) => prefixBetween(d, 4, 3528, 3589) },
  {
    name: 'diners',
    lengths: [14, 16, 19],
    matches: (d) =>
      prefixBetween(d, 3, 300, 305) || d.startsWith('36') || d.startsWith('38') || d.startsWith('39'),
  },
  { name: 'unionpay', lengths: [16, 17, 18, 19], matches: (d) => d.startsWith('62') },
  {
    name: 'maestro',
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
    matches: (d) => d.startsWith('50') || prefixBetween(d, 2, 56, 58) || d.startsWith('6'),
  },
];

/** The Luhn (mod 10) check every payment card number carries in its last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The brand whose IIN range and length the digits fit, or undefined. */
export function cardBrand(digits: string): string | undefined {
  return BRANDS.find((brand) => brand.lengths.includes(digits.length) && brand.matches(digits))?.name;
}

export interface CardCheck {
  luhn: boolean;
  brand: string | undefined;
}

const CARD_SHAPE = /^\d{4}(?:[ -]?\d{2,4}){2,4}$|^\d{12,19}$/;

/** Checks a whole value shaped like a card number (digits, optionally grouped by spaces or dashes). */
export function checkCardNumber(value: string): CardCheck | undefined {
  if (!CARD_SHAPE.test(value)) return undefined;
  const digits = value.replace(/[ -]/g, '');
  if (digits.length < 12 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return undefined;
  return { luhn: passesLuhn(digits), brand: cardBrand(digits) };
}
