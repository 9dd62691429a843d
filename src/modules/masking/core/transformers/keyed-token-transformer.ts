import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = /^[0-9a-f]{16,}$/i;
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
  if (UUID.test(value)) return keyedUuid(random);
  if (HEX.test(value))
    return drawn(
      value.length,
      random,
      value === value.toUpperCase() ? '0123456789ABCDEF' : '0123456789abcdef',
    );
  let output = '';
  let leading = true;
  for (const char of value) {
    if (char >= '0' && char <= '9') {
      // A number's first digit stays non-zero so the digit count (and the number's size) is kept.
      const pool = numeric && leading && char !== '0' ? '123456789' : DIGITS;
      output += pool[random.below(pool.length)];
      leading = false;
    } else if (char >= 'a' && char <= 'z') output += LOWER[random.below(26)];
    else if (char >= 'A' && char <= 'Z') output += UPPER[random.below(26)];
    else if (/\p{L}/u.test(char))
      output += char === char.toUpperCase() ? UPPER[random.below(26)] : LOWER[random.below(26)];
    else output += char;
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
