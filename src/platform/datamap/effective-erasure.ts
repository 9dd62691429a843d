import type { DataMapCollection, DataMapField, ErasureStrategy } from './datamap-types.ts';

/**
 * The strategy that applies to a field on erasure: its own; else the collection's when that removes
 * or holds the whole row (delete_row, keep); else the collection's default for personal fields.
 * Fields without categories and without a strategy are left alone (not personal data).
 */
export function effectiveErasure(
  collection: DataMapCollection,
  field: DataMapField,
): ErasureStrategy | undefined {
  if (field.erasure) return field.erasure;
  const fallback = collection.erasure;
  if (!fallback) return undefined;
  if (fallback.strategy === 'delete_row' || fallback.strategy === 'keep') return fallback;
  return field.categories.length ? fallback : undefined;
}
