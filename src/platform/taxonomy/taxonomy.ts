import { FIDESLANG_DATA_CATEGORIES } from './fideslang-data-categories.ts';
import { FIDESLANG_DATA_SUBJECTS } from './fideslang-data-subjects.ts';
import { FIDESLANG_DATA_USES } from './fideslang-data-uses.ts';
import type { TaxonomyConfig } from './taxonomy-config-schema.ts';
import { TaxonomyTree } from './taxonomy-tree.ts';

/** The three fideslang-compatible trees a data map is checked against. */
export interface Taxonomy {
  categories: TaxonomyTree;
  uses: TaxonomyTree;
  subjects: TaxonomyTree;
}

/** Steward's shipped fideslang trees, extended by the `taxonomy` section of steward.yaml. */
export function createTaxonomy(extensions: Partial<TaxonomyConfig> = {}): Taxonomy {
  return {
    categories: new TaxonomyTree('data_category', FIDESLANG_DATA_CATEGORIES, extensions.dataCategories),
    uses: new TaxonomyTree('data_use', FIDESLANG_DATA_USES, extensions.dataUses),
    subjects: new TaxonomyTree('data_subject', FIDESLANG_DATA_SUBJECTS, extensions.dataSubjects),
  };
}
