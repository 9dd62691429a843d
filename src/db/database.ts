import type { CoreTables } from './core-tables.ts';

/**
 * Every table Steward owns, as Kysely sees it. Each domain declares its tables in its own
 * `<domain>-tables.ts` and adds them here, so this file is the table of contents of the schema.
 */
export interface Database extends CoreTables {}
