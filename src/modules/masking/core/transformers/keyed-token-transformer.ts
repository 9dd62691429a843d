import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Hex strings (hashes, tokens): 16 or more hex digits, at least one a letter — a long run of decimal digits is a number (a BBAN, an account) and stays decimal. */
const HEX = /^(?=[0-9]*[a-f])[0-9a-f]{16,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Format-preserving keyed substitution: every digit becomes a digit, every letter a letter of the
 * same case, everything else stays, so `AB-1234-x` stays a plausible `QX-8051-k` of the same
 * length (constraints on length and pattern keep holding, and so does the value-length profile).
 * Hex strings stay hex and UUIDs stay UUIDs. The characters are drawn from the keyed digest of
 * the whole value, so equal values map to equal tokens and different ones (of ten or more
 * random characters) collide with negligible probability. A number keeps its sign and digit count.
 */
export const keyedTokenTransformer: TransformerDefinition = {
  name: 'keyed_token',
  leakCheck: 'anywhere',
  families: ['text', 'integer', 'decimal', 'uuid', 'other'],
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    return (value) =>
      firstDifferent(value, (attempt) => {
        random.reseed(tools.digest(attemptPurpose('keyed_token', attempt), value));
        return keyedToken(value, random, column.family === 'integer' || column.family === 'decimal');
      });
  },
};

/** The token for one value from a seeded stream (exported for transformers that reuse the shape). */
export function keyedToken(value: string, random: DigestRandom, numeric = false): string {
  const length = value.length;
  if (length === 36 && UUID.test(value)) return keyedUuid(random);
  if (length >= 16 && HEX.test(value))
    return drawn(length, random, value === value.toUpperCase() ? '0123456789ABCDEF' : '0123456789abcdef');
  let output = '';
  let leading = true;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      // A number's first digit stays non-zero so the digit count (and the number's size) is kept.
      const pool = numeric && leading && code !== 48 ? '123456789' : DIGITS;
      output += pool[random.below(pool.length)];
      leading = false;
    } else if (code >= 97 && code <= 122) output += LOWER[random.below(26)];
    else if (code >= 65 && code <= 90) output += UPPER[random.below(26)];
    else if (code < 128) output += value[i];
    else {
      // Beyond ASCII, one character may be two UTF-16 units: a letter of any script becomes one letter.
      const char = String.fromCodePoint(value.codePointAt(i)!);
      i += char.length - 1;
      if (/\p{L}/u.test(char))
        output += char === char.toUpperCase() ? UPPER[random.below(26)] : LOWER[random.below(26)];
      else output += char;
    }
  }
  return output;
}

function drawn(length: number, random: DigestRandom, alphabet: string): string {
  let output = '';
  for (let i = 0; i < length; i++) output += alphabet[random.below(alphabet.length)];
  return output;
}

function keyedUuid(random: DigestRandom): string {
  const hex = drawn(32, random, '0123456789abcdef').split('');
  hex[12] = '4'; // RFC 9562 version 4 layout: a valid UUID of the random kind
  hex[16] = '89ab'[random.below(4)]!;
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
