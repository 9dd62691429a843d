import type { DataMapField } from '../../../../platform/datamap/datamap-types.ts';

/**
 * Why a corrected value cannot go into a column, or undefined when it can: NULL into NOT NULL, text
 * longer than the column, a non-number into a number column, a malformed date. Checked at plan
 * time so that one unfit value is reported instead of failing the statement that carries the others.
 */
export function valueMisfit(
  value: string | number | boolean | null,
  field: DataMapField,
): string | undefined {
  if (value === null)
    return field.nullable === false ? 'the column is NOT NULL and the new value is empty' : undefined;
  const type = field.type;
  if (!type) return undefined;
  const text = String(value);
  switch (type.family) {
    case 'text':
      return type.length !== undefined && text.length > type.length
        ? `the new value has ${text.length} characters; the column (${type.raw}) holds ${type.length}`
        : undefined;
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? undefined : `the column (${type.raw}) holds whole numbers`;
    case 'decimal':
    case 'float':
      return text.trim() !== '' && Number.isFinite(Number(text))
        ? undefined
        : `the column (${type.raw}) holds numbers`;
    case 'boolean':
      return ['true', 'false', '0', '1'].includes(text.toLowerCase())
        ? undefined
        : `the column (${type.raw}) holds true or false`;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))
        ? undefined
        : `the column (${type.raw}) holds dates written YYYY-MM-DD`;
    case 'timestamp':
      return Number.isNaN(Date.parse(text))
        ? `the column (${type.raw}) holds ISO 8601 timestamps`
        : undefined;
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
        ? undefined
        : `the column (${type.raw}) holds UUIDs`;
    case 'binary':
    case 'array':
      return `a ${type.family} column (${type.raw}) cannot be corrected with a text value`;
    default:
      return undefined;
  }
}
