import { z } from 'zod';

/** steward.yaml `datamap:` — where the data map's YAML files are. */
export const datamapConfigSchema = z
  .object({
    path: z
      .string()
      .default('./datamap')
      .describe('Folder of data-map YAML files (systems, collections, fields).'),
  })
  .strict();

export type DatamapConfig = z.infer<typeof datamapConfigSchema>;
