import type { ConsentDatabase, DsrDatabase, RetentionDatabase } from '../other-modules.ts';
import type { WebTables } from './web-tables.ts';

/**
 * The tables the console and the privacy center read: their own, and (until the DSR and consent
 * modules offer these reads through their api.ts) the requests, the consent ledger and retention runs.
 */
export type WebDatabase = WebTables & DsrDatabase & ConsentDatabase & RetentionDatabase;
