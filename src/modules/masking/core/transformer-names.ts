import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { TRANSFORMER_NAMES, type TransformerName } from './transformer.ts';

// The names alone, apart from the registry: checking a --rule option must not load every
// transformer's data (faker's locales, libphonenumber's metadata) into a process that never copies.

export function isTransformerName(name: string): name is TransformerName {
  return (TRANSFORMER_NAMES as readonly string[]).includes(name);
}

/** Parses a transformer name from user input, naming the choices when it is not one. */
export function parseTransformerName(name: string, where: string): TransformerName {
  if (isTransformerName(name)) return name;
  throw new InvalidInput(
    'masking.unknown_transformer',
    `${where}: "${name}" is not a masking transformer. Use one of: ${TRANSFORMER_NAMES.join(', ')}.`,
    { transformer: name },
  );
}
