import { defineModule } from '../../kernel/module.ts';
import { taxonomyConfigSchema, type TaxonomyConfig } from './taxonomy-config-schema.ts';

/** The fideslang taxonomy shipped as data, extended by `taxonomy:` in steward.yaml. */
export const taxonomyModule = defineModule<unknown, unknown, 'taxonomy', TaxonomyConfig>({
  name: 'taxonomy',
  config: { key: 'taxonomy', schema: taxonomyConfigSchema },
});
