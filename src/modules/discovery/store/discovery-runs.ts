import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { compareRuns, type RunColumn, type RunComparison } from '../core/compare-runs.ts';
import { declaredName, type DiscoveryResult } from '../core/discovery-types.ts';
import type { DriftFinding } from '../core/drift.ts';
import type { DiscoveryRunSummary, DiscoveryTables } from './discovery-tables.ts';

/** The module's queries see only its own tables (and `tenants` through the foreign keys). */
export type DiscoveryDb = Kysely<DiscoveryTables>;

export interface StoredRun {
  id: string;
  system: string;
  trigger: 'cli' | 'api' | 'schedule';
  sampleSize: number;
  startedAt: string;
  durationMs: number;
  summary: DiscoveryRunSummary;
}

/**
 * Stores a run (its columns' categories, confidence and evidence — counts, never values) and
 * compares it with the system's previous run, in one transaction.
 */
export async function recordDiscoveryRun(
  db: DiscoveryDb,
  input: {
    tenantId: string;
    trigger: StoredRun['trigger'];
    result: DiscoveryResult;
    findings: readonly DriftFinding[];
  },
): Promise<{ run: StoredRun; comparison: RunComparison }> {
  const { tenantId, result } = input;
  const columns: RunColumn[] = result.collections.flatMap((collection) =>
    collection.columns.map((column) => ({
      collection: collection.name,
      field: declaredName(column),
      categories: column.categories,
    })),
  );
  const findings: Record<string, number> = {};
  for (const finding of input.findings) findings[finding.code] = (findings[finding.code] ?? 0) + 1;
  const summary: DiscoveryRunSummary = {
    collections: result.collections.length,
    columns: columns.length,
    personalColumns: columns.filter((c) => c.categories.length).length,
    findings,
  };
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('discovery_runs')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('system', '=', result.system)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    await trx
      .insertInto('discovery_runs')
      .values({
        id,
        tenant_id: tenantId,
        system: result.system,
        trigger: input.trigger,
        sample_size: result.sampleSize,
        started_at: result.startedAt,
        duration_ms: result.durationMs,
        summary: JSON.stringify(summary),
      })
      .execute();
    const rows = result.collections.flatMap((collection) =>
      collection.columns.map((column) => ({
        tenant_id: tenantId,
        run_id: id,
        collection: collection.name,
        field: declaredName(column),
        categories: JSON.stringify(column.categories),
        confidence: column.confidence,
        evidence: JSON.stringify(column.evidence),
        sampled: column.sampled,
      })),
    );
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('discovery_columns')
        .values(rows.slice(i, i + 500))
        .execute();
    const before = previous ? await runColumns(trx, tenantId, previous.id) : [];
    return {
      run: {
        id,
        system: result.system,
        trigger: input.trigger,
        sampleSize: result.sampleSize,
        startedAt: result.startedAt,
        durationMs: result.durationMs,
        summary,
      },
      comparison: compareRuns(previous?.id ?? null, before, columns),
    };
  });
}

export async function listDiscoveryRuns(
  db: DiscoveryDb,
  tenantId: string,
  options: { system?: string; limit: number },
): Promise<StoredRun[]> {
  let query = db.selectFrom('discovery_runs').selectAll().where('tenant_id', '=', tenantId);
  if (options.system) query = query.where('system', '=', options.system);
  const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(toRun);
}

export async function readDiscoveryRun(
  db: DiscoveryDb,
  tenantId: string,
  id: string,
): Promise<
  StoredRun & {
    columns: (RunColumn & { confidence: number; evidence: Record<string, unknown>[]; sampled: number })[];
  }
> {
  const row = await db
    .selectFrom('discovery_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFound('discovery.run_not_found', `There is no discovery run ${id}.`, { id });
  const columns = await db
    .selectFrom('discovery_columns')
    .select(['collection', 'field', 'categories', 'confidence', 'evidence', 'sampled'])
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', id)
    .orderBy('collection')
    .orderBy('field')
    .execute();
  return {
    ...toRun(row),
    columns: columns.map((c) => ({
      collection: c.collection,
      field: c.field,
      categories: parseJson<string[]>(c.categories),
      confidence: c.confidence,
      evidence: parseJson<Record<string, unknown>[]>(c.evidence),
      sampled: c.sampled,
    })),
  };
}

async function runColumns(db: DiscoveryDb, tenantId: string, runId: string): Promise<RunColumn[]> {
  const rows = await db
    .selectFrom('discovery_columns')
    .select(['collection', 'field', 'categories'])
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .execute();
  return rows.map((r) => ({
    collection: r.collection,
    field: r.field,
    categories: parseJson<string[]>(r.categories),
  }));
}

function toRun(row: {
  id: string;
  system: string;
  trigger: StoredRun['trigger'];
  sample_size: number;
  started_at: Date;
  duration_ms: number;
  summary: unknown;
}): StoredRun {
  return {
    id: row.id,
    system: row.system,
    trigger: row.trigger,
    sampleSize: row.sample_size,
    startedAt: new Date(row.started_at).toISOString(),
    durationMs: row.duration_ms,
    summary: parseJson<DiscoveryRunSummary>(row.summary),
  };
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
