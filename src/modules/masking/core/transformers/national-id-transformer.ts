import { personValidators } from 'stdnum';
import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

interface IdValidator {
  name: string;
  validate(value: string): { isValid: boolean };
}

/** Enough draws for any check digit scheme in stdnum (mod 10/11 accept about one candidate in eleven). */
const DRAWS = 400;

/**
 * A national identification number of the same kind and country, with a valid check digit: the
 * source value tells which of the default country's validators (python-stdnum's, via `stdnum`)
 * it satisfies — a German tax ID stays a German tax ID — and format-preserving keyed candidates
 * are drawn until that validator accepts one. A value no validator recognises gets a
 * format-preserving keyed token.
 */
export const nationalIdTransformer: TransformerDefinition = {
  name: 'national_id',
  leakCheck: 'anywhere',
  families: ['text', 'integer', 'decimal', 'other'],
  create(_column: ColumnFacts, tools: TransformerTools): MaskValue {
    const validators =
      (personValidators as Record<string, IdValidator[] | undefined>)[tools.defaultCountry.toUpperCase()] ??
      [];
    const random = new DigestRandom();
    let lastMatch: IdValidator | undefined;
    return (value) => {
      const validator = [lastMatch, ...validators].find((v) => v?.validate(value).isValid);
      if (validator) lastMatch = validator;
      return firstDifferent(value, (attempt) => {
        random.reseed(
          tools.digest(attemptPurpose('national_id', attempt), value.replace(/[\s./-]/g, '').toUpperCase()),
        );
        if (!validator) return keyedToken(value, random);
        for (let draw = 0; draw < DRAWS; draw++) {
          const candidate = keyedToken(value, random);
          if (validator.validate(candidate).isValid) return candidate;
        }
        return keyedToken(value, random);
      });
    };
  },
};
