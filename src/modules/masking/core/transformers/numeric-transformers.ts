import { DigestRandom } from '../digest-random.ts';
import type {
  ColumnFacts,
  MaskValue,
  RuleParams,
  TransformerDefinition,
  TransformerTools,
} from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A number moved by up to `noisePercent` (default 10) either way, keyed by the value, with the
 * source's decimal places: sums and distributions stay close, the exact amount does not. Text
 * that is not a plain number is kept out (NULL) rather than passed through.
 */
export const numericNoiseTransformer: TransformerDefinition = {
  name: 'numeric_noise',
  leakCheck: 'row',
  families: ['integer', 'decimal', 'float', 'text', 'other'],
  create(_column: ColumnFacts, tools: TransformerTools, params: RuleParams): MaskValue {
    const spread = (params.noisePercent ?? 10) / 100;
    const random = new DigestRandom();
    return (value) => {
      if (!NUMBER.test(value)) return null;
      const places = value.split('.')[1]?.length ?? 0;
      const number = Number(value);
      return firstDifferent(value, (attempt) => {
        random.reseed(tools.digest(attemptPurpose('numeric_noise', attempt), value));
        const factor = 1 + (random.next() * 2 - 1) * spread;
        const moved = number * factor;
        // A value too small to move at this precision moves by one unit of its last place.
        const unit = 10 ** -places;
        const result = Math.abs(moved - number) < unit ? number + (random.below(2) ? unit : -unit) : moved;
        return result.toFixed(places);
      });
    };
  },
};

/** A number rounded down to a multiple of `step` (default 10): an age of 37 becomes 30. */
export const generaliseTransformer: TransformerDefinition = {
  name: 'generalise',
  leakCheck: 'none',
  families: ['integer', 'decimal', 'float', 'text', 'other'],
  create(_column: ColumnFacts, _tools: TransformerTools, params: RuleParams): MaskValue {
    const step = params.step ?? 10;
    return (value) => {
      if (!NUMBER.test(value)) return null;
      const places = value.split('.')[1]?.length ?? 0;
      return (Math.floor(Number(value) / step) * step).toFixed(places);
    };
  },
};
