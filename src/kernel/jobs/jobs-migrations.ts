// Named after core's 202611291500 (not the wall clock, which is earlier): tenants must exist first.
import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../database/migration-map.ts';

export const jobsMigrations: MigrationMap = {
  '202611291505_jobs_probes': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('job_probes')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('worker', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('ran_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('job_probes_run_idx')
        .on('job_probes')
        .columns(['tenant_id', 'run_id'])
        .execute();
    },
  },
};
