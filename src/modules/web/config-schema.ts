import { z } from 'zod';
import { privacyCenterSchema } from './core/privacy-center-config.ts';

/**
 * The `web` section of steward.yaml: the admin console (/console) and the privacy center (/privacy)
 * that `steward serve` serves from the built assets, and each tenant's privacy-center settings.
 */
export const webConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Serve the admin console and the privacy center.'),
    assetsDir: z
      .string()
      .optional()
      .describe('Folder of the built web apps (vite build output). Default: dist/web of this installation.'),
    privacyCenters: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a tenant id'), privacyCenterSchema)
      .default({})
      .describe(
        "Per tenant: the privacy center's title, logo, colour, texts, the request types and identity fields it offers (shaped after Fides' privacy-center config). A tenant without an entry gets the defaults.",
      ),
  })
  .strict();

export type WebConfig = z.infer<typeof webConfigSchema>;
