import { z } from 'zod';
import type { ConfigDefinition } from '../../kernel/config/load-config.ts';
import { kernelConfigSections, type KernelConfig } from '../../kernel/config/kernel-config-schema.ts';
import { STEWARD_MODULES, type ModuleConfigSections } from '../modules.ts';

/** The whole of steward.yaml: the kernel's sections and every module's, as their manifests declare them. */
export type StewardConfig = KernelConfig & ModuleConfigSections & { $schema?: string | undefined };

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** steward.yaml as written: any section, any subset of keys (the rest take their defaults). */
export type StewardConfigInput = DeepPartial<StewardConfig>;

function moduleSections(): Record<string, z.ZodType> {
  const sections: Record<string, z.ZodType> = {};
  for (const module of STEWARD_MODULES) {
    if (!('config' in module) || !module.config) continue;
    const schema = module.config.schema as z.ZodType;
    // Every key has a default, so an absent section is the section's defaults.
    sections[module.config.key] = schema.default(schema.parse({}));
  }
  return sections;
}

/**
 * The schema steward.yaml is checked against. Every key has a default, so an empty file (or none)
 * runs Steward on its embedded database. `npm run schemas` writes the JSON Schema editors use.
 */
export const configSchema = z
  .object({ $schema: z.string().optional(), ...kernelConfigSections, ...moduleSections() })
  .strict() as unknown as z.ZodType<StewardConfig, StewardConfigInput>;

/** Keys whose values are paths, resolved against the config file's folder. */
export const CONFIG_PATH_KEYS = ['database.dataDir', 'datamap.path', 'demo.dataDir'] as const;

export const stewardConfigDefinition: ConfigDefinition<StewardConfig> = {
  schema: configSchema,
  pathKeys: CONFIG_PATH_KEYS,
};
