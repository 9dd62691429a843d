import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';

const ROUNDS = 4;

/**
 * A keyed permutation of integer keys: a four-round Feistel network whose round function is the
 * keyed digest, walked in cycles until the result fits the column's type (RFC-less but the
 * construction of format-preserving encryption, NIST SP 800-38G). Being a permutation it never
 * maps two ids to one, so primary keys stay unique and every referencing column, masked by the
 * same rule, still joins; without the key the original ids cannot be recomputed. The sign is kept.
 */
export const keyedIdTransformer: TransformerDefinition = {
  name: 'keyed_id',
  leakCheck: 'row',
  families: ['integer'],
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const bits = domainBits(column.rawType);
    const half = BigInt(bits / 2);
    const mask = (1n << half) - 1n;
    const limit = 1n << BigInt(bits - 1); // the type's positive range: 2^15, 2^31 or 2^63
    const round = (i: number, value: bigint) =>
      tools.digest(`keyed_id.${i}`, value.toString()).readBigUInt64BE(0) & mask;
    const permute = (value: bigint) => {
      let left = value >> half;
      let right = value & mask;
      for (let i = 0; i < ROUNDS; i++) [left, right] = [right, left ^ round(i, right)];
      return (left << half) | right;
    };
    return (value) => {
      if (!/^-?\d+$/.test(value)) return null;
      const negative = value.startsWith('-');
      const magnitude = BigInt(negative ? value.slice(1) : value);
      if (magnitude >= limit) return value; // outside the permuted range (cannot happen for a value of the column's own type)
      // Cycle walking: permute again until inside the range; a permutation of the larger domain restricted this way stays one.
      let result = permute(magnitude);
      while (result >= limit) result = permute(result);
      return `${negative ? '-' : ''}${result}`;
    };
  },
};

function domainBits(rawType: string): number {
  const type = rawType.toLowerCase();
  if (/^(smallint|int2|smallserial|tinyint|mediumint)/.test(type)) return 16;
  if (/^(bigint|int8|bigserial)/.test(type)) return 64;
  return 32;
}
