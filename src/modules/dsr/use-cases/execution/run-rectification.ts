import type { Assignment, Connector, Row, RowPredicate } from '../../../../platform/connectors/connector.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import { InvalidInput, isDomainError } from '../../../../kernel/errors/domain-error.ts';
import type { DsrPlan, PlanStep, RectificationStep } from '../../core/planning/dsr-plan.ts';
import type { RectificationReport } from './execution-report.ts';
import { BATCH_SIZE, SubjectWalker, systemOf } from './subject-walker.ts';

/**
 * Art. 16 for one system. The subject's rows are found first (by the identities as they were, so
 * correcting the identity itself is safe), then each planned change is written on its own, in its
 * own transaction: one that cannot be applied (several rows where the request names none, a value
 * the system rejects) is reported with the reason and does not stop the others. Only the rows the
 * request means are changed: its one row in a collection, the rows it names by key, or all of them
 * when it says so. Writing the same values again is harmless.
 */
export async function runRectificationForSystem(
  plan: DsrPlan,
  systemId: string,
  connector: Connector,
): Promise<RectificationReport> {
  const system = systemOf(plan, systemId);
  if (plan.kind !== 'rectification' || !system.rectification) {
    throw new InvalidInput(
      'dsr.not_a_rectification_plan',
      `runRectificationForSystem needs a rectification plan (planRectification); this one is ${plan.kind}.`,
    );
  }
  const report: RectificationReport = {
    system: systemId,
    collections: [],
    notChanged: (system.skipped ?? []).map((s) => ({
      collection: s.collection,
      fields: [s.field],
      reason: s.reason,
    })),
  };
  const walker = new SubjectWalker(system, plan.identities);
  const wanted = new Set(system.rectification.map((r) => r.step));
  const jsonColumns = (step: PlanStep) =>
    system.rectification!.filter((r) => r.step === step.id).flatMap((r) => Object.keys(r.paths ?? {}));
  const rowsOf = new Map<string, Row[]>();
  for await (const { step, rows } of connector.session((reader) => walker.walk(reader, jsonColumns)))
    if (wanted.has(step.id)) rowsOf.set(step.id, [...(rowsOf.get(step.id) ?? []), ...rows]);

  for (const change of system.rectification) {
    const step = system.steps.find((s) => s.id === change.step)!;
    const fields = [
      ...Object.keys(change.set),
      ...Object.entries(change.paths ?? {}).flatMap(([column, paths]) =>
        Object.keys(paths).map((p) => `${column}.${p}`),
      ),
    ];
    const notChanged = (reason: string) =>
      report.notChanged.push({ collection: step.collection, fields, reason });
    const chosen = chooseRows(step, change, rowsOf.get(step.id) ?? []);
    if ('refused' in chosen) {
      notChanged(chosen.refused);
      continue;
    }
    try {
      const rowsUpdated = await connector.transaction((tx) =>
        writeChange(step, change, chosen.rows, (spec) => tx.update(spec), walker),
      );
      report.collections.push({
        collection: step.collection,
        ...(step.about ? { about: step.about.role } : {}),
        rowsUpdated,
        fields,
      });
    } catch (error) {
      // An unreachable system is retried as a whole; a rejected statement is this change's alone.
      if (isDomainError(error) && error.kind === 'unavailable') throw error;
      notChanged(
        `the system refused the change${isDomainError(error) ? ` (${error.code}${describeDriver(error.details)})` : ''}; nothing of it was written`,
      );
    }
  }
  return report;
}

/** The rows a change applies to, or why it is not applied. */
function chooseRows(
  step: PlanStep,
  change: RectificationStep,
  rows: Row[],
): { rows: Row[] } | { refused: string } {
  const key = step.target.primaryKey;
  if (change.rows === 'all' || rows.length <= 1) {
    if (change.rows && change.rows !== 'all') return selectByKey(step, change.rows, rows);
    return { rows };
  }
  if (!change.rows)
    return {
      refused: `the subject has ${rows.length} rows in ${step.collection}${
        key.length
          ? ` (${key.join(', ')}: ${rows
              .slice(0, 10)
              .map((r) => key.map((c) => String(r[c])).join('/'))
              .join(', ')})`
          : ''
      }; one value is not written into several rows unless the request names the row by key or confirms all`,
    };
  return selectByKey(step, change.rows, rows);
}

function selectByKey(
  step: PlanStep,
  keys: Record<string, string | number>[],
  rows: Row[],
): { rows: Row[] } | { refused: string } {
  const key = step.target.primaryKey;
  if (!key.length)
    return {
      refused: `${step.collection} has no primary key, so a row cannot be named; confirm all rows instead`,
    };
  const byKey = new Map(rows.map((row) => [keyOf(key.map((c) => String(row[c]))), row]));
  const chosen: Row[] = [];
  for (const wanted of keys) {
    const missing = key.filter((c) => !(c in wanted));
    if (missing.length)
      return {
        refused: `a row of ${step.collection} is named without ${missing.join(', ')} (its key is ${key.join(', ')})`,
      };
    const row = byKey.get(keyOf(key.map((c) => String(wanted[c]))));
    if (!row)
      return {
        refused: `the row ${JSON.stringify(wanted)} of ${step.collection} is not one of the subject's rows`,
      };
    chosen.push(row);
  }
  return { rows: chosen };
}

async function writeChange(
  step: PlanStep,
  change: RectificationStep,
  rows: Row[],
  update: (spec: {
    target: PlanStep['target'];
    set: Record<string, Assignment>;
    where: RowPredicate;
  }) => Promise<number>,
  walker: SubjectWalker,
): Promise<number> {
  if (!rows.length) return 0;
  const key = step.target.primaryKey;
  const plain: Record<string, Assignment> = Object.fromEntries(
    Object.entries(change.set).map(([field, value]) => [field, { kind: 'value', value } as Assignment]),
  );
  if (!key.length) {
    if (change.paths && Object.keys(change.paths).length)
      throw new InvalidInput(
        'dsr.json_without_key',
        `${step.collection} has no primary key: a JSON value cannot be rewritten row by row.`,
      );
    let updated = 0;
    for (const where of walker.chunks(step))
      updated += await update({ target: step.target, set: plain, where });
    return updated;
  }
  let updated = 0;
  for (let i = 0; i < rows.length; i += BATCH_SIZE / 2) {
    const batch = rows.slice(i, i + BATCH_SIZE / 2);
    const set: Record<string, Assignment> = { ...plain };
    for (const [column, paths] of Object.entries(change.paths ?? {})) {
      set[column] = {
        kind: 'per_row',
        keyColumns: key,
        values: batch.map((row) => ({
          key: key.map((c) => row[c]),
          value: JSON.stringify(withPaths(row[column], paths)),
        })),
      };
    }
    updated += await update({
      target: step.target,
      set,
      where: { kind: 'in', columns: key, tuples: batch.map((row) => key.map((c) => row[c])) },
    });
  }
  return updated;
}

/** The JSON value with each dotted path set (missing objects on the way are created). */
function withPaths(current: unknown, paths: Record<string, unknown>): unknown {
  const parsed: unknown = typeof current === 'string' ? JSON.parse(current) : (current ?? {});
  const root = (parsed !== null && typeof parsed === 'object' ? structuredClone(parsed) : {}) as Record<
    string,
    unknown
  >;
  for (const [path, value] of Object.entries(paths)) {
    const keys = path.split('.');
    let node = root;
    for (const part of keys.slice(0, -1)) {
      const next = node[part];
      node = (node[part] = next !== null && typeof next === 'object' ? next : {}) as Record<string, unknown>;
    }
    node[keys.at(-1)!] = value;
  }
  return root;
}

function describeDriver(details: unknown): string {
  const code = (details as { driverCode?: string } | undefined)?.driverCode;
  return code ? `, driver code ${code}` : '';
}
