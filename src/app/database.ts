import type { ModuleTables } from './modules.ts';

/**
 * Every table Steward owns, as Kysely sees it: derived from the modules' manifests (each declares
 * its own tables in its store/ folder). Only the app holds a handle on all of them; a module's code
 * is typed by the tables it may touch.
 */
export type Database = ModuleTables;
