import type { Command } from 'commander';
import type { MigrationMap } from '../kernel/database/migration-map.ts';
import { InvalidInput } from '../kernel/errors/domain-error.ts';
import type { RouteRegistration } from '../kernel/http/create-app.ts';
import type { JobDefinition } from '../kernel/jobs/job-definition.ts';
import type { RouteModule, StewardModule } from '../kernel/module.ts';
import type { AppServices } from './app-services.ts';
import type { OwnDataPurger } from '../modules/retention/api.ts';
import { STEWARD_MODULES } from './modules.ts';

/**
 * The manifests as the wiring iterates them. Assigned without a cast, so the compiler checks that
 * AppServices gives every module what its adapters are typed to use (routes, jobs and providers take
 * the module's own services type; a module asking for something the app does not hold fails here).
 */
const builtIn: readonly StewardModule<AppServices>[] = STEWARD_MODULES;

/** Modules added at run time before the process starts (a deployment's own, or a test's fixture). */
const added: StewardModule<AppServices>[] = [];

/** Adds a module to this process (call before Steward starts: e.g. from a file loaded with `node --import`). */
export function addModule(module: StewardModule<AppServices>): void {
  added.push(module);
}

/** Every module of this process: the built-in list, then any added. */
function allModules(): StewardModule<AppServices>[] {
  return [...builtIn, ...added];
}

/** Every module's migrations, for the one migrator. */
export function stewardMigrations(): MigrationMap[] {
  return allModules().flatMap((module) => (module.migrations ? [module.migrations] : []));
}

/** Every queue Steward runs; `serve` and `worker` start workers for all of them. */
export function stewardJobs(): JobDefinition[] {
  return allModules().flatMap((module) => module.jobs ?? []);
}

/** The modules' routes with the services bound: public ones first, then those under /v1. */
export function stewardRoutes(services: AppServices): {
  publicRoutes: RouteRegistration[];
  routes: RouteRegistration[];
} {
  const bind = (register: RouteModule<AppServices>) => (app: Parameters<RouteRegistration>[0]) =>
    register(app, services);
  return {
    publicRoutes: allModules().flatMap((module) => (module.publicRoutes ? [bind(module.publicRoutes)] : [])),
    routes: allModules().flatMap((module) => (module.routes ? [bind(module.routes)] : [])),
  };
}

/** Every module's own-data purge, bound to the services (for retention's `steward-data` flow). */
export function stewardOwnDataPurgers(services: () => AppServices): OwnDataPurger[] {
  return allModules().flatMap((module) =>
    module.ownDataRetention
      ? [
          {
            module: module.name,
            purge: (options: Parameters<OwnDataPurger['purge']>[0]) =>
              module.ownDataRetention!.purge(services(), options),
          },
        ]
      : [],
  );
}

/**
 * The modules' CLI commands, built now (the program is built once per process): the top-level ones,
 * with every `{ under, build }` subcommand mounted under the command of that name.
 */
export function stewardCommands(): Command[] {
  const entries = allModules().flatMap((module) =>
    (module.commands ?? []).map((entry) => ({ module: module.name, entry })),
  );
  const commands = entries.flatMap(({ entry }) => (typeof entry === 'function' ? [entry()] : []));
  for (const { module, entry } of entries) {
    if (typeof entry === 'function') continue;
    const parent = commands.find((command) => command.name() === entry.under);
    // A wiring mistake in the module list, found by any test that builds the program.
    if (!parent)
      throw new InvalidInput(
        'app.subcommand_without_parent',
        `Module ${module} adds a subcommand under "${entry.under}", which no module provides: list the module that owns it in src/app/modules.ts.`,
      );
    parent.addCommand(entry.build());
  }
  return commands;
}

/** Every module's Prometheus metrics, registered on the services' registry (gauges read at scrape time). */
export function registerModuleMetrics(services: AppServices): void {
  for (const module of allModules()) module.metrics?.(services);
}

/** The long-lived services modules provide, created in module order after the platform's. */
export async function provideModuleServices(base: Omit<AppServices, 'consent'>): Promise<{
  provided: Record<string, unknown>;
  close(): Promise<void>;
}> {
  const provided: Record<string, unknown> = {};
  const closers: (() => Promise<void>)[] = [];
  for (const module of allModules()) {
    for (const [name, provider] of Object.entries(module.provides ?? {})) {
      const service = await provider.create({ ...base, ...provided } as AppServices);
      provided[name] = service;
      if (provider.close) closers.unshift(() => provider.close!(service));
    }
  }
  return {
    provided,
    async close() {
      for (const close of closers) await close();
    },
  };
}
