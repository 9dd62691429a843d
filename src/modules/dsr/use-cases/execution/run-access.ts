import type { Connector, Row } from '../../../../platform/connectors/connector.ts';
import type { DsrPlan } from '../../core/planning/dsr-plan.ts';
import type { AccessOptions, AccessPage } from './execution-report.ts';
import { SubjectWalker, systemOf } from './subject-walker.ts';

/**
 * Art. 15 / 20: the subject's rows in one system, streamed page by page in plan order (a parent
 * collection before its children). Only the data map's fields are returned; key columns read to
 * find children stay internal. Read-only, so a re-run after a crash is harmless.
 */
export async function* runAccessForSystem(
  plan: DsrPlan,
  systemId: string,
  connector: Connector,
  options: AccessOptions = {},
): AsyncGenerator<AccessPage> {
  const system = systemOf(plan, systemId);
  const walker = new SubjectWalker(system, plan.identities);
  for await (const { step, rows } of connector.session((reader) =>
    walker.walk(reader, (s) => s.columns, options),
  )) {
    yield {
      system: systemId,
      // Rows naming the subject as another person (a gift's recipient) are a part of their own.
      collection: step.about ? `${step.collection} (as ${step.about.role})` : step.collection,
      rows: rows.map((row) => project(row, step.columns)),
    };
  }
}

function project(row: Row, columns: string[]): Row {
  const result: Row = {};
  for (const column of columns) if (column in row) result[column] = row[column];
  return result;
}
