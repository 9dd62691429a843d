import type { Migration, MigrationProvider } from 'kysely/migration';
import { Conflict } from '../kernel/errors/domain-error.ts';
import { coreMigrations } from './core-migrations.ts';
import { dsrMigrations } from '../dsr/dsr-migrations.ts';
import { erasureJournalMigrations } from '../dsr/journal/erasure-journal-migrations.ts';
import { auditMigrations } from '../audit/audit-migrations.ts';
import { authMigrations } from '../auth/auth-migrations.ts';
import { secretsMigrations } from '../secrets/secrets-migrations.ts';
import { eventsMigrations } from '../events/events-migrations.ts';
import { consentMigrations } from '../consent/consent-migrations.ts';
import { jobsMigrations } from '../jobs/jobs-migrations.ts';
import { retentionMigrations } from '../retention/retention-migrations.ts';

export type MigrationMap = Record<string, Migration>;

/**
 * Every domain's migrations, merged. Names start with a UTC timestamp (`YYYYMMDDHHmm_domain_what`)
 * so that one global order exists across domains; a domain adds its map to this list.
 */
const allMigrations: MigrationMap[] = [coreMigrations, authMigrations, secretsMigrations, auditMigrations, eventsMigrations, consentMigrations, jobsMigrations, dsrMigrations, erasureJournalMigrations, retentionMigrations];

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
