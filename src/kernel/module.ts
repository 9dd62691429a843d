import type { Command } from 'commander';
import type { Migration } from 'kysely/migration';
import type { z } from 'zod';
import type { JobDefinition } from './jobs/job-definition.ts';
import type { StewardApp } from './http/steward-app.ts';

/**
 * A module's HTTP routes: a Fastify plugin body that receives the module's dependencies. Routes
 * declare `config.permission` (checked by the auth contract before the handler runs) and zod
 * schemas (which validate, type the handler and document the API).
 */
export type RouteModule<Deps = unknown> = (app: StewardApp, deps: Deps) => void | Promise<void>;

/** A module's CLI command, built only when the program is (so `--help` stays fast). */
export type CommandFactory = () => Command;

/**
 * A subcommand a manifest adds to a command another manifest owns: `{ under: 'datamap', build }`
 * mounts `steward datamap <name>`, so a workflow can join a platform command without the platform
 * importing it.
 */
export interface SubcommandFactory {
  under: string;
  build: CommandFactory;
}

/** A long-lived object a module adds to the dependencies every module receives (a cache, a runtime). */
export interface ProvidedService<Deps, Service> {
  /** Created once per process, after the platform services, in module order. */
  create(deps: Deps): Service | Promise<Service>;
  /** Stopped at shutdown, in reverse module order. */
  close?(service: Service): Promise<void>;
}

/** How long Steward keeps its own records (days), from `retention.stewardData`, keyed by kind. */
export type OwnDataPeriods = Readonly<Record<string, number | boolean | string>>;

/**
 * Steward's own storage limitation (GDPR Art. 5(1)(e)) for the records one module keeps: run by the
 * built-in `steward-data` flow, which knows no module's tables. Returns, per kind of record, how many
 * were removed (or with `dryRun`, would be). Each batch is one transaction with its audit event.
 */
export interface OwnDataRetention<Services> {
  purge(
    services: Services,
    options: { dryRun: boolean; now: Date; periods: OwnDataPeriods; actor: { kind: 'system'; id: string } },
  ): Promise<Record<string, number>>;
}

/**
 * What a module declares so the app can wire it: one manifest per module (`src/modules/<m>/index.ts`,
 * `src/platform/<p>/index.ts`), listed once in `src/app/modules.ts`. Everything the process needs
 * — the config schema, the database type, migrations, routes, jobs and commands — is derived from
 * that list, so adding a module is one folder and one line.
 *
 * `Deps` is the narrow set of services the module's adapters use; `Tables` is a phantom type naming
 * the tables the module owns (never read at run time), from which the app derives `Database`.
 */
export interface StewardModule<
  Deps = unknown,
  Tables = unknown,
  Key extends string = string,
  Config = unknown,
> {
  name: string;
  /** The module's section of steward.yaml: every key has a default, so an absent section is valid. */
  config?: { key: Key; schema: z.ZodType<Config> };
  /** Kysely migrations, named `YYYYMMDDHHmm_<module>_<what>` so one global order exists. */
  migrations?: Record<string, Migration>;
  /** Phantom: `{} as DsrTables`. */
  tables?: Tables;
  /** Authenticated routes, mounted under /v1. */
  routes?: RouteModule<Deps>;
  /** Public routes outside /v1 (well-known documents, the browser apps), registered before authentication. */
  publicRoutes?: RouteModule<Deps>;
  jobs?: JobDefinition[];
  /** Top-level commands, and subcommands of another manifest's command (`{ under, build }`). */
  commands?: (CommandFactory | SubcommandFactory)[];
  /** Long-lived services this module offers every module, by name (e.g. `consent`). */
  provides?: Record<string, ProvidedService<Deps, unknown>>;
  /**
   * Registers the module's Prometheus metrics on `services.metrics` (gauges read at scrape time);
   * called once per process when the services are created. Counters live where things happen.
   */
  metrics?: (services: Deps) => void;
  /** How the module purges its own records past their period. */
  ownDataRetention?: OwnDataRetention<Deps>;
}

/** Identity function that checks a manifest against the contract and keeps its literal types. */
export function defineModule<Deps = unknown, Tables = unknown, Key extends string = string, Config = unknown>(
  module: StewardModule<Deps, Tables, Key, Config>,
): StewardModule<Deps, Tables, Key, Config> {
  return module;
}
