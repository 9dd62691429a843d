import type { ColumnType, DataMapField, ErasureStrategy } from './datamap-types.ts';

/** Why a strategy cannot work on a column, and what to do instead. */
export interface ErasureMisfit {
  message: string;
  fix: string;
}

const HASH_HEX_LENGTH = { sha256: 64, sha512: 128 } as const;
const HASH_BYTES = { sha256: 32, sha512: 64 } as const;
const TEXTUAL = new Set(['text']);

/**
 * Whether an erasure strategy fits the column it is applied to: the replacement value must have the
 * column's type and fit its length, and NOT NULL / primary-key columns cannot be nulled. Unknown
 * column types pass (nothing to check against); the connector would fail at run time instead.
 */
export function checkErasureFit(
  strategy: ErasureStrategy,
  field: DataMapField,
  isPrimaryKey: boolean,
): ErasureMisfit | undefined {
  const type = field.type;
  switch (strategy.strategy) {
    case 'keep':
    case 'delete_row':
      return undefined;
    case 'null':
      if (isPrimaryKey)
        return {
          message: 'a primary-key column cannot be set to NULL',
          fix: 'erase the row with delete_row, or keep the key (it identifies the row, not the person, once the other fields are masked)',
        };
      if (field.nullable === false)
        return {
          message: 'strategy null on a NOT NULL column',
          fix: 'use fixed_value (e.g. "" or a placeholder), random, or delete_row on the collection',
        };
      return undefined;
    case 'fixed_value':
      return type ? fixedValueMisfit(strategy.value, type) : undefined;
    case 'random':
      return type ? randomMisfit(strategy.length, type) : undefined;
    case 'hash':
    case 'pseudonymise':
    case 'hmac':
      return type ? digestMisfit(strategy.strategy, strategy.algorithm, type) : undefined;
    case 'deterministic_encryption':
      return type ? encryptionMisfit(type) : undefined;
    case 'generalise':
      return type ? generaliseMisfit(type) : undefined;
  }
}

function generaliseMisfit(type: ColumnType): ErasureMisfit | undefined {
  if (['text', 'integer', 'decimal', 'float', 'date', 'timestamp'].includes(type.family)) return undefined;
  return {
    message: `generalise has no coarser value for column type ${type.raw}`,
    fix: 'use null, fixed_value or hmac for this column',
  };
}

function fixedValueMisfit(value: string | number | boolean, type: ColumnType): ErasureMisfit | undefined {
  const wrongType = (expected: string): ErasureMisfit => ({
    message: `fixed_value ${JSON.stringify(value)} does not fit column type ${type.raw}`,
    fix: `use a ${expected} value`,
  });
  switch (type.family) {
    case 'text':
      if (type.length !== undefined && String(value).length > type.length) {
        return {
          message: `fixed_value ${JSON.stringify(value)} is ${String(value).length} characters, longer than ${type.raw}`,
          fix: `use a value of at most ${type.length} characters`,
        };
      }
      return undefined;
    case 'integer':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value) &&
        typeof value !== 'boolean' &&
        value !== ''
        ? undefined
        : wrongType('whole-number');
    case 'decimal':
    case 'float':
      return typeof value === 'number' ||
        (typeof value === 'string' && value !== '' && Number.isFinite(Number(value)))
        ? undefined
        : wrongType('numeric');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType('true/false');
    case 'date':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? undefined
        : wrongType('YYYY-MM-DD date');
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : wrongType('ISO 8601 timestamp');
    case 'uuid':
      return typeof value === 'string' &&
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
        ? undefined
        : wrongType('UUID');
    case 'json':
      return undefined;
    default:
      return undefined;
  }
}

function randomMisfit(length: number | undefined, type: ColumnType): ErasureMisfit | undefined {
  if (type.family === 'text' || type.family === 'binary') {
    if (length !== undefined && type.length !== undefined && length > type.length) {
      return {
        message: `random value of ${length} characters does not fit ${type.raw}`,
        fix: `set length to at most ${type.length}, or leave it out to use the column's length`,
      };
    }
    return undefined;
  }
  if (['integer', 'decimal', 'float', 'uuid'].includes(type.family)) return undefined;
  return {
    message: `strategy random cannot produce a value of type ${type.raw}`,
    fix: 'use fixed_value or null for this column',
  };
}

function digestMisfit(
  kind: 'hash' | 'pseudonymise' | 'hmac',
  algorithm: 'sha256' | 'sha512',
  type: ColumnType,
): ErasureMisfit | undefined {
  if (TEXTUAL.has(type.family)) {
    const needed = HASH_HEX_LENGTH[algorithm];
    if (type.length !== undefined && type.length < needed) {
      return {
        message: `${kind} (${algorithm}) writes ${needed} hex characters, which do not fit ${type.raw}`,
        fix: `widen the column to at least varchar(${needed}), or use random/fixed_value/null`,
      };
    }
    return undefined;
  }
  if (type.family === 'binary') {
    const needed = HASH_BYTES[algorithm];
    if (type.length !== undefined && type.length < needed) {
      return {
        message: `${kind} (${algorithm}) writes ${needed} bytes, which do not fit ${type.raw}`,
        fix: `widen the column to at least ${needed} bytes, or use null/fixed_value`,
      };
    }
    return undefined;
  }
  return {
    message: `${kind} produces text, which column type ${type.raw} cannot hold`,
    fix: 'use null, fixed_value or random for this column',
  };
}

function encryptionMisfit(type: ColumnType): ErasureMisfit | undefined {
  if (type.family !== 'text' && type.family !== 'binary') {
    return {
      message: `deterministic_encryption produces text, which column type ${type.raw} cannot hold`,
      fix: 'use null, fixed_value or random for this column',
    };
  }
  // Ciphertext = IV/tag + plaintext, base64-encoded: always longer than the longest value the column holds.
  if (type.length !== undefined) {
    return {
      message: `deterministic_encryption output is longer than any value ${type.raw} can hold, so long values would not fit`,
      fix: 'use an unbounded column (text / bytea / blob), or hmac if you only need to match values later',
    };
  }
  return undefined;
}
