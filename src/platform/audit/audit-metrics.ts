import { sql } from 'kysely';
import type { AuditServices } from './audit-services.ts';

/**
 * The audit log's gauges, read at scrape time: entries in the Merkle trees (all tenants), entries
 * recorded but not yet integrated, and the age of the stalest tenant's latest signed checkpoint
 * (absent until a first checkpoint exists).
 */
export function registerAuditMetrics(services: Pick<AuditServices, 'database' | 'metrics'>): void {
  const { db } = services.database;
  services.metrics.gaugeAtScrape(
    { name: 'steward_audit_tree_size', help: 'Entries in the audit log Merkle trees, all tenants together.' },
    async () => {
      const row = await db
        .selectFrom('audit_tree_state')
        .select(sql<string>`coalesce(sum(tree_size), 0)`.as('size'))
        .executeTakeFirstOrThrow();
      return [{ value: Number(row.size) }];
    },
  );
  services.metrics.gaugeAtScrape(
    {
      name: 'steward_audit_pending_entries',
      help: 'Audit events recorded and not yet integrated into the Merkle tree.',
    },
    async () => {
      const row = await db
        .selectFrom('audit_pending')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      return [{ value: Number(row.count) }];
    },
  );
  services.metrics.gaugeAtScrape(
    {
      name: 'steward_audit_last_checkpoint_age_seconds',
      help: 'Age of the latest signed checkpoint of the tenant whose latest checkpoint is oldest.',
    },
    async () => {
      const { rows } = await sql<{ age: string | null }>`
        select extract(epoch from now() - min(latest)) as age
        from (select max(created_at) as latest from audit_checkpoints group by tenant_id) as latest_per_tenant`.execute(
        db,
      );
      const age = rows[0]?.age;
      return age === null || age === undefined ? [] : [{ value: Math.max(0, Number(age)) }];
    },
  );
}
