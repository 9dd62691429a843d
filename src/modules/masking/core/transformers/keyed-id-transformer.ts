import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';

const ROUNDS = 4;

/**
 * A keyed permutation of integer keys: a four-round Feistel network whose round function is the
 * keyed digest, walked in cycles until the result has as many digits as the input and fits the
 * column's type (the construction of format-preserving encryption, NIST SP 800-38G). Being a permutation it never
 * maps two ids to one, so primary keys stay unique and every referencing column, masked by the
 * same rule, still joins; without the key the original ids cannot be recomputed. The sign is kept.
 */
export const keyedIdTransformer: TransformerDefinition = {
  name: 'keyed_id',
  // A permutation of a range fixes about one of its numbers by chance, and repeating ids make that one
  // show up in many rows: ids are not looked for. What they could link to is masked and checked.
  leakCheck: 'none',
  families: ['integer'],
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const typeMax = (1n << BigInt(domainBits(column.rawType) - 1)) - 1n; // 2^15 - 1, 2^31 - 1 or 2^63 - 1
    const feistels = new Map<number, (value: bigint) => bigint>();
    const feistelFor = (bits: number) => {
      let permute = feistels.get(bits);
      if (!permute) feistels.set(bits, (permute = feistel(bits, tools)));
      return permute;
    };
    return (value) => {
      if (!/^-?\d+$/.test(value)) return null;
      const negative = value.startsWith('-');
      const digits = value.replace(/^-?0*/, '') || '0';
      // The range of numbers with as many digits (within the type): lengths, and so the length profile, are kept.
      const low = digits.length === 1 ? 0n : 10n ** BigInt(digits.length - 1);
      const high = [10n ** BigInt(digits.length) - 1n, typeMax].reduce((a, b) => (a < b ? a : b));
      const magnitude = BigInt(digits);
      if (magnitude > high || high <= low) return value;
      const bits = Math.max(2, high.toString(2).length + (high.toString(2).length % 2));
      const permute = feistelFor(bits);
      // Cycle walking: permute again until inside the range; restricted this way a permutation stays one.
      let result = permute(magnitude);
      while (result < low || result > high) result = permute(result);
      return `${negative ? '-' : ''}${result}`;
    };
  },
};

/** A balanced Feistel permutation of [0, 2^bits) whose round function is the keyed digest. */
function feistel(bits: number, tools: TransformerTools): (value: bigint) => bigint {
  const half = BigInt(bits / 2);
  const mask = (1n << half) - 1n;
  const round = (i: number, value: bigint) =>
    tools.digest(`keyed_id.${bits}.${i}`, value.toString()).readBigUInt64BE(0) & mask;
  return (value) => {
    let left = value >> half;
    let right = value & mask;
    for (let i = 0; i < ROUNDS; i++) [left, right] = [right, left ^ round(i, right)];
    return (left << half) | right;
  };
}

function domainBits(rawType: string): number {
  const type = rawType.toLowerCase();
  if (/^(smallint|int2|smallserial|tinyint|mediumint)/.test(type)) return 16;
  if (/^(bigint|int8|bigserial)/.test(type)) return 64;
  return 32;
}
