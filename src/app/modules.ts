import type { z } from 'zod';
import { kernelModule } from '../kernel/kernel-module.ts';
import type { StewardModule } from '../kernel/module.ts';
import { auditModule } from '../platform/audit/index.ts';
import { authModule } from '../platform/auth/index.ts';
import { datamapModule } from '../platform/datamap/index.ts';
import { eventsModule } from '../platform/events/index.ts';
import { secretsModule } from '../platform/secrets/index.ts';
import { taxonomyModule } from '../platform/taxonomy/index.ts';
import { consentModule } from '../modules/consent/index.ts';
import { demoModule } from '../modules/demo/index.ts';
import { discoveryModule } from '../modules/discovery/index.ts';
import { dsrModule } from '../modules/dsr/index.ts';
import { governanceModule } from '../modules/governance/index.ts';
import { maskingModule } from '../modules/masking/index.ts';
import { retentionModule } from '../modules/retention/index.ts';
import { webModule } from '../modules/web/index.ts';
import { workflowsModule } from '../workflows/index.ts';

/**
 * Every module of Steward, in the order they are wired (platform before the modules that use it).
 * Adding a module is one folder under src/modules and one line here: its config section, tables,
 * migrations, routes, jobs and commands are all taken from its manifest.
 */
export const STEWARD_MODULES = [
  kernelModule,
  taxonomyModule,
  authModule,
  secretsModule,
  auditModule,
  eventsModule,
  datamapModule,
  consentModule,
  dsrModule,
  retentionModule,
  discoveryModule,
  governanceModule,
  maskingModule,
  demoModule,
  webModule,
  workflowsModule,
] as const;

type AnyModule = (typeof STEWARD_MODULES)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

type TablesOf<M> = M extends { tables?: infer T } ? (unknown extends T ? never : NonNullable<T>) : never;
/** Every table Steward owns, as Kysely sees it: the union of the modules' own tables. */
export type ModuleTables = UnionToIntersection<TablesOf<AnyModule>>;

type ConfigSectionOf<M> = M extends { config?: { key: infer K extends string; schema: z.ZodType<infer C> } }
  ? { [P in K]: C }
  : never;
/** The modules' sections of steward.yaml, by key. */
export type ModuleConfigSections = UnionToIntersection<ConfigSectionOf<AnyModule>>;

/** The list as the wiring code iterates it; each manifest's own `Services` is a part of AppServices. */
export function stewardModules(): readonly StewardModule[] {
  return STEWARD_MODULES as unknown as readonly StewardModule[];
}
