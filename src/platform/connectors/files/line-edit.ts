import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { Assignment, RowPredicate } from '../connector.ts';
import { keyOf } from '../row-key.ts';
import { LogLine, type LineFormat } from './log-line.ts';
import { constrainedValues, isConstrained, type ColumnResolver } from './line-predicate.ts';

/** What a detector value becomes when it is set to NULL: the line keeps its shape. */
export const REDACTED = '[redacted]';

/**
 * The line with the assignments applied, or undefined when nothing changes. Only the bytes of the
 * assigned values change: a JSON path's value token is replaced in place (keys, order, spacing and
 * the rest of the line stay), a detector column's values are replaced where they stand — only those
 * the predicate singled out (the subject's), every one of them when it names none.
 */
export function editLine(
  line: LogLine,
  set: Record<string, Assignment>,
  where: RowPredicate,
  resolve: ColumnResolver,
  format: LineFormat,
): string | undefined {
  let text = line.text;
  let current = line;
  for (const [name, assignment] of Object.entries(set)) {
    const value = valueFor(assignment, current, resolve);
    if (value === NO_VALUE) continue;
    const column = resolve(name);
    const edited =
      column.kind === 'path'
        ? replaceJsonValue(text, column.path, value)
        : column.kind === 'detected'
          ? replaceDetected(current, column.type, value, constrainedValues(where, name), format.format)
          : readOnly(name);
    if (edited === undefined || edited === text) continue;
    text = edited;
    current = new LogLine(text, line.file, line.number, format);
  }
  return text === line.text ? undefined : text;
}

const NO_VALUE = Symbol('no value for this row');

function valueFor(assignment: Assignment, line: LogLine, resolve: ColumnResolver): unknown {
  if (assignment.kind === 'value') return assignment.value;
  const key = keyOf(assignment.keyColumns.map((c) => line.values(resolve(c))[0] ?? null));
  const entry = assignment.values.find((candidate) => keyOf(candidate.key) === key);
  return entry ? entry.value : NO_VALUE;
}

function replaceJsonValue(text: string, path: (string | number)[], value: unknown): string | undefined {
  const node = findNodeAtLocation(parseTree(text) ?? emptyTree(), path);
  if (!node) return undefined;
  const token = JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));
  return text.slice(0, node.offset) + token + text.slice(node.offset + node.length);
}

function replaceDetected(
  line: LogLine,
  type: string,
  value: unknown,
  only: ReturnType<typeof constrainedValues>,
  format: 'jsonl' | 'text',
): string | undefined {
  const spans = line
    .spans(type)
    .filter((span) => !only || isConstrained(line.text.slice(span.start, span.end), only));
  if (!spans.length) return undefined;
  const replacement = value === null || value === undefined ? REDACTED : String(value);
  // Inside a JSON line the value sits in a string literal: it must stay a valid one.
  const encoded = format === 'jsonl' ? JSON.stringify(replacement).slice(1, -1) : replacement;
  let text = line.text;
  for (const span of [...spans].reverse()) text = text.slice(0, span.start) + encoded + text.slice(span.end);
  return text;
}

function readOnly(name: string): never {
  throw new InvalidInput(
    'connector.files_read_only_column',
    `${name} describes where a line is, not what it says: it cannot be masked. Mask a JSON path or a detector column (pii:email), or delete the line.`,
    { field: name },
  );
}

function emptyTree(): Parameters<typeof findNodeAtLocation>[0] {
  return { type: 'null', offset: 0, length: 0 };
}
