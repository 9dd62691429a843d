import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import { isPersonalCategory } from './category-transformers.ts';

/** A column the data map marks as personal data, with its categories. */
export interface PersonalColumn {
  /** `customers` or `schema.customers`, as the data map names the collection. */
  table: string;
  column: string;
  categories: string[];
}

/**
 * The personal-data columns of one system according to its data map: every field with at least
 * one category from fideslang's `user` tree. The data map decides; the catalog only says how.
 */
export function personalColumnsOf(system: DataMapSystem): PersonalColumn[] {
  return system.collections.flatMap((collection) =>
    collection.fields
      .filter((field) => field.categories.some(isPersonalCategory))
      .map((field) => ({
        table: collection.schema ? `${collection.schema}.${collection.name}` : collection.name,
        column: field.name,
        categories: field.categories.filter(isPersonalCategory),
      })),
  );
}

/** The collections the data map declares, as table names (for "tables the data map does not know"). */
export function declaredTablesOf(system: DataMapSystem): string[] {
  return system.collections.map((collection) =>
    collection.schema ? `${collection.schema}.${collection.name}` : collection.name,
  );
}
