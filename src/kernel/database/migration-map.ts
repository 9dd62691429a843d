import type { Migration } from 'kysely/migration';

/** A module's migrations by name; names start with a UTC timestamp (`YYYYMMDDHHmm_module_what`). */
export type MigrationMap = Record<string, Migration>;
