import type { Migration, MigrationProvider } from 'kysely/migration';
import { Conflict } from '../kernel/errors/domain-error.ts';
import { coreMigrations } from '../kernel/database/core-migrations.ts';
import { dsrMigrations } from '../modules/dsr/store/dsr-migrations.ts';
import { erasureJournalMigrations } from '../modules/dsr/store/erasure-journal-migrations.ts';
import { auditMigrations } from '../platform/audit/store/audit-migrations.ts';
import { authMigrations } from '../platform/auth/store/auth-migrations.ts';
import { secretsMigrations } from '../platform/secrets/store/secrets-migrations.ts';
import { eventsMigrations } from '../platform/events/store/events-migrations.ts';
import { consentMigrations } from '../modules/consent/store/consent-migrations.ts';
import { jobsMigrations } from '../kernel/jobs/jobs-migrations.ts';
import { retentionMigrations } from '../modules/retention/store/retention-migrations.ts';
import { webMigrations } from '../modules/web/store/web-migrations.ts';

export type MigrationMap = Record<string, Migration>;

/**
 * Every domain's migrations, merged. Names start with a UTC timestamp (`YYYYMMDDHHmm_domain_what`)
 * so that one global order exists across domains; a domain adds its map to this list.
 */
const allMigrations: MigrationMap[] = [coreMigrations, authMigrations, secretsMigrations, auditMigrations, eventsMigrations, consentMigrations, jobsMigrations, dsrMigrations, erasureJournalMigrations, retentionMigrations, webMigrations];

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const merged: MigrationMap = {};
    for (const map of allMigrations) {
      for (const [name, migration] of Object.entries(map)) {
        if (merged[name]) throw new Conflict('db.duplicate_migration', `Two domains define migration ${name}; rename one.`);
        merged[name] = migration;
      }
    }
    return merged;
  },
};
