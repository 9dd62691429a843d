import type { Connector } from '../../../../platform/connectors/connector.ts';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import { runErasureForSystem } from '../execution/run-erasure.ts';
import type { ErasureReport } from '../execution/execution-report.ts';
import type { DsrPlan, PlanIdentity } from '../../core/planning/dsr-plan.ts';
import { normaliseIdentityValue } from '../../core/planning/normalise-identities.ts';
import type { IdentityHasher } from './record-erasure.ts';
import type { DbHandle } from '../../../../kernel/database/db-handle.ts';

export interface ReplayOptions {
  db: DbHandle<DsrDatabase>;
  tenantId: string;
  /** Entries erased at or after this moment are replayed (the backup's date). */
  since: Date;
  hash: IdentityHasher;
  /** The connector of a system, or undefined when the current data map no longer has it. */
  connectorFor(systemId: string): Connector | undefined;
  now?: Date;
  dryRun?: boolean;
  /** Rows per page when scanning identity columns. */
  pageSize?: number;
  /** Resolves mask keys (`secret:` references need Steward's store). */
  resolveKey?: (reference: string) => Promise<string>;
}

export interface ReplayOutcome {
  entry: string;
  erasedAt: string;
  system: string;
  outcome: 'erased' | 'nothing_found' | 'skipped';
  reason?: string;
  report?: ErasureReport;
}

export interface ReplayReport {
  entries: number;
  outcomes: ReplayOutcome[];
}

interface IdentityColumn {
  system: string;
  plan: DsrPlan['systems'][number];
  stepIndex: number;
  column: string;
  identity: PlanIdentity;
}

/**
 * Applies again every erasure journalled since `since`, against the data as it is now (after a
 * backup was restored). The journal holds only keyed hashes, and SQL cannot compute Steward's keyed
 * hash portably, so the identity columns the erasures started from are scanned in pages and each
 * value hashed here; the values whose hash is journalled become the identities of the recorded plan,
 * which then runs as any erasure does (one transaction per system). Subjects whose rows are not in
 * the restored data are reported as nothing_found; nobody else is touched.
 */
export async function replayErasures(options: ReplayOptions): Promise<ReplayReport> {
  const entries = await options.db
    .selectFrom('dsr_erasure_journal')
    .select(['id', 'erased_at', 'identity_hashes', 'scope'])
    .where('tenant_id', '=', options.tenantId)
    .where('erased_at', '>=', options.since)
    .orderBy('erased_at')
    .orderBy('id')
    .execute();
  const plans = entries.map((entry) => ({
    id: entry.id,
    erasedAt: new Date(entry.erased_at),
    hashes: parseJson<Record<string, string[]>>(entry.identity_hashes),
    plan: parseJson<DsrPlan>(entry.scope),
  }));

  const wanted = new Set(plans.flatMap((p) => Object.values(p.hashes).flat()));
  const recovered = new Map<string, string>();
  const skipped = new Map<string, string>();
  for (const column of identityColumns(plans.map((p) => p.plan))) {
    const key = `${column.system}`;
    const connector = options.connectorFor(column.system);
    if (!connector) {
      skipped.set(key, 'the system is no longer in the data map');
      continue;
    }
    if (connector.kind === 'http') {
      skipped.set(key, 'an HTTP system cannot be scanned for hashed identities; erase there again by hand');
      continue;
    }
    const step = column.plan.steps[column.stepIndex]!;
    for await (const page of connector.read({
      target: step.target,
      columns: [column.column],
      where: { kind: 'all', of: [] },
      keyset: step.target.primaryKey,
      pageSize: options.pageSize ?? 5000,
    })) {
      for (const row of page) {
        const value = row[column.column];
        if (value === null || value === undefined) continue;
        const normalised = normaliseIdentityValue(
          column.identity.match,
          String(value),
          column.identity.region,
        );
        const hashed = options.hash(column.identity.name, normalised);
        if (wanted.has(hashed)) recovered.set(`${column.system}\u0000${hashed}`, normalised);
      }
    }
  }

  const outcomes: ReplayOutcome[] = [];
  for (const { id, erasedAt, hashes, plan } of plans) {
    for (const system of plan.systems) {
      const base = { entry: id, erasedAt: erasedAt.toISOString(), system: system.system };
      const why = skipped.get(system.system);
      if (why) {
        outcomes.push({ ...base, outcome: 'skipped', reason: why });
        continue;
      }
      const identities = plan.identities.map((identity) => ({
        ...identity,
        values: [
          ...new Set(
            (hashes[identity.name] ?? [])
              .map((h) => recovered.get(`${system.system}\u0000${h}`))
              .filter((v): v is string => v !== undefined),
          ),
        ],
      }));
      if (!identities.some((identity) => identity.values.length)) {
        outcomes.push({ ...base, outcome: 'nothing_found' });
        continue;
      }
      const report = await runErasureForSystem(
        { ...plan, identities },
        system.system,
        options.connectorFor(system.system)!,
        {
          now: options.now,
          dryRun: options.dryRun,
          ...(options.resolveKey ? { resolveKey: options.resolveKey } : {}),
        },
      );
      outcomes.push({ ...base, outcome: 'erased', report });
    }
  }
  return { entries: entries.length, outcomes };
}

/** The identity columns the recorded plans start from, once each. */
function identityColumns(plans: DsrPlan[]): IdentityColumn[] {
  const columns = new Map<string, IdentityColumn>();
  for (const plan of plans) {
    for (const system of plan.systems) {
      system.steps.forEach((step, stepIndex) => {
        for (const source of step.sources) {
          if (source.kind !== 'identity') continue;
          const identity = plan.identities.find((i) => i.name === source.identity);
          if (!identity) continue;
          columns.set(`${system.system}\u0000${step.id}\u0000${source.column}\u0000${identity.name}`, {
            system: system.system,
            plan: system,
            stepIndex,
            column: source.column,
            identity,
          });
        }
      });
    }
  }
  return [...columns.values()];
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
