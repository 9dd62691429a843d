import type {
  CollectionTarget,
  RowPredicate,
  UpdateSpec,
} from '../../../../platform/connectors/connector.ts';
import { sqlDialectFor } from '../../../../platform/connectors/sql/sql-dialect.ts';
import { SqlStatementRenderer } from '../../../../platform/connectors/sql/sql-statement.ts';
import type { HttpEndpoint, SystemKind } from '../../../../platform/datamap/datamap-types.ts';
import type { PlanIdentity, PlanStep, StepSource } from './dsr-plan.ts';

/**
 * Statements as a plan shows them: the SQL each system will receive, with placeholders where
 * values go (values from a parent step are one placeholder tuple here, batched when run), or the
 * HTTP calls. Display only: the executor renders its own statements from the same specs.
 */
export function describeRead(kind: SystemKind, step: PlanStep, identities: PlanIdentity[]): string {
  if (kind === 'http') return describeHttp(step.target, 'read', step.sources);
  if (kind === 'files') return describeFileLines(step.target, 'read');
  const renderer = new SqlStatementRenderer(sqlDialectFor(kind));
  const keyset = step.target.primaryKey;
  return renderer.select({
    target: step.target,
    columns: step.columns,
    where: displayPredicate(step.sources, identities),
    keyset,
    pageSize: 1000,
  }).text;
}

export function describeDelete(kind: SystemKind, target: CollectionTarget, sources: StepSource[]): string {
  if (kind === 'http') return describeHttp(target, 'delete', sources);
  if (kind === 'files') return describeFileLines(target, 'delete');
  return new SqlStatementRenderer(sqlDialectFor(kind)).delete({
    target,
    where: rowsPredicate(target, sources),
  }).text;
}

export function describeUpdate(
  kind: SystemKind,
  target: CollectionTarget,
  sources: StepSource[],
  columns: string[],
  perRow: boolean,
): string {
  if (kind === 'http') return describeHttp(target, 'update', sources);
  if (kind === 'files') return describeFileLines(target, 'update');
  const set: UpdateSpec['set'] = Object.fromEntries(
    columns.map((column) => [
      column,
      perRow && target.primaryKey.length
        ? {
            kind: 'per_row',
            keyColumns: target.primaryKey,
            values: [{ key: target.primaryKey.map(() => null), value: null }],
          }
        : { kind: 'value', value: null },
    ]),
  );
  return new SqlStatementRenderer(sqlDialectFor(kind)).update({
    target,
    set,
    where: rowsPredicate(target, sources),
  }).text;
}

/** Log files have no statements: the connector scans and rewrites the collection's files. */
function describeFileLines(target: CollectionTarget, action: 'read' | 'delete' | 'update'): string {
  const verb = { read: 'read', delete: 'remove', update: 'mask values in' }[action];
  return `${verb} the subject's lines of ${target.name} (files rewritten atomically)`;
}

/** Rows addressed by primary key when there is one, else by the subject's predicate itself. */
function rowsPredicate(target: CollectionTarget, sources: StepSource[]): RowPredicate {
  if (target.primaryKey.length)
    return { kind: 'in', columns: target.primaryKey, tuples: [target.primaryKey.map(() => null)] };
  return displayPredicate(sources, []);
}

function displayPredicate(sources: StepSource[], identities: PlanIdentity[]): RowPredicate {
  const parts: RowPredicate[] = sources.map((source) => {
    if (source.kind === 'identity') {
      const values = identities.find((i) => i.name === source.identity)?.values ?? [''];
      return {
        kind: 'in',
        columns: [source.column],
        tuples: values.map((v) => [v]),
        ...(source.phone ? { phone: true } : { lowercase: source.lowercase }),
      };
    }
    return { kind: 'in', columns: source.columns, tuples: [source.columns.map(() => null)] };
  });
  return parts.length === 1 ? parts[0]! : { kind: 'any', of: parts };
}

function describeHttp(
  target: CollectionTarget,
  action: 'read' | 'delete' | 'update',
  sources: StepSource[],
): string {
  const endpoints = target.http?.endpoints[action] ?? {};
  const keys =
    target.primaryKey.length && action !== 'read' && endpoints.row
      ? ['row']
      : sources.flatMap((s) => (s.kind === 'identity' ? [s.identity] : []));
  const calls = keys.map((key) => endpoints[key]).filter((e): e is HttpEndpoint => Boolean(e));
  return calls.length
    ? calls
        .map(
          (e) =>
            `${e.method} ${e.path}${
              Object.keys(e.query).length
                ? `?${Object.entries(e.query)
                    .map(([k, v]) => `${k}=${v}`)
                    .join('&')}`
                : ''
            }`,
        )
        .join('; ')
    : `(no ${action} endpoint)`;
}
