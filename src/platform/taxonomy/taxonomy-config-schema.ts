import { z } from 'zod';

const KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

const customEntrySchema = z
  .object({
    key: z.string().regex(KEY, 'must be a dotted lower-case key such as user.contact.loyalty_number'),
    name: z.string().min(1),
    description: z.string().optional(),
  })
  .strict();

/**
 * The `taxonomy` section of steward.yaml: entries added to the shipped fideslang trees. A key
 * extends its parent (`user.financial.iban` needs `user.financial`), so parents come first.
 */
export const taxonomyConfigSchema = z
  .object({
    dataCategories: z
      .array(customEntrySchema)
      .default([])
      .describe('Extra data categories, e.g. user.contact.loyalty_number.'),
    dataUses: z.array(customEntrySchema).default([]).describe('Extra data uses (purposes).'),
    dataSubjects: z.array(customEntrySchema).default([]).describe('Extra data subjects.'),
  })
  .strict();

export type TaxonomyConfig = z.infer<typeof taxonomyConfigSchema>;
