import { z } from 'zod';

/** steward.yaml `demo:` — the demo "shop" system a newcomer tries Steward on. */
export const demoConfigSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Create and register the demo "shop" system.'),
    database: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'must be a lower-case database name (letters, digits, underscore)')
      .default('steward_demo_shop')
      .describe(
        "The demo shop's database, created on Steward's own PostgreSQL server (embedded or database.url).",
      ),
    dataDir: z
      .string()
      .default('./.steward/demo')
      .describe("Folder for the demo's files: the shop's data map and the newcomer's owner API key."),
    people: z.number().int().min(10).max(100_000).default(3000).describe('People seeded into the demo shop.'),
  })
  .strict();

export type DemoConfig = z.infer<typeof demoConfigSchema>;
