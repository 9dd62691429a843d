import type { TransformerDefinition } from '../transformer.ts';

/**
 * `keep` copies the value unchanged. On a personal-data column that is a deliberate decision the
 * leak check still looks at (a kept e-mail fails the run); on booleans and enums nothing is looked for.
 */
export const keepTransformer: TransformerDefinition = {
  name: 'keep',
  leakCheck: 'anywhere',
  families: [
    'text',
    'integer',
    'decimal',
    'float',
    'boolean',
    'date',
    'timestamp',
    'time',
    'json',
    'binary',
    'uuid',
    'enum',
    'array',
    'other',
  ],
  create: () => (value) => value,
};

/** `null` writes NULL; a NOT NULL column cannot take it (found before copying). */
export const nullTransformer: TransformerDefinition = {
  name: 'null',
  leakCheck: 'none',
  families: keepTransformer.families,
  create: () => () => null,
};
