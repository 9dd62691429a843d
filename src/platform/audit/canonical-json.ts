import canonicalize from 'canonicalize';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';

/**
 * RFC 8785 (JCS) serialisation: the one byte form an audit entry is hashed and stored in. Values
 * JSON cannot carry (NaN, Infinity, lone surrogates, cycles) are refused rather than altered.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new InvalidInput(
      'audit.not_json',
      `The audit entry is not plain JSON: ${(error as Error).message}. Pass only strings, finite numbers, booleans, null, arrays and objects.`,
    );
  }
  if (text === undefined)
    throw new InvalidInput('audit.not_json', 'The audit entry serialises to nothing; pass a JSON object.');
  return text;
}
