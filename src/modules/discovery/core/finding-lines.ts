import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { DriftFinding } from './drift.ts';

/** A finding with the data-map file (relative, as CI shows it) and the line it points at. */
export interface LocatedFinding {
  finding: DriftFinding;
  path: string;
  line: number;
}

/**
 * The line of the data-map file a finding points at: the field, else its collection, else the
 * system (where a new collection would go), else 1. For SARIF regions and JUnit messages.
 */
export function findingLine(text: string, finding: DriftFinding): number {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  const line = (node: unknown) => {
    const start = (node as Node | undefined)?.range?.[0];
    return start === undefined ? undefined : counter.linePos(start).line;
  };
  const systems = document.get('systems');
  const system = isSeq(systems)
    ? systems.items.find((s) => isMap(s) && s.get('id') === finding.system)
    : undefined;
  const collections = [
    ...(isMap(system) && isSeq(system.get('collections'))
      ? (system.get('collections') as { items: unknown[] }).items
      : []),
    ...(isSeq(document.get('collections'))
      ? (document.get('collections') as { items: unknown[] }).items.filter(
          (c) => isMap(c) && c.get('system') === finding.system,
        )
      : []),
  ];
  const collection = collections.find((c) => isMap(c) && c.get('name') === finding.collection);
  const fields = isMap(collection) ? collection.get('fields') : undefined;
  const field =
    isSeq(fields) && finding.field
      ? fields.items.find((f) => isMap(f) && f.get('name') === finding.field)
      : undefined;
  return line(field) ?? line(collection) ?? line(system) ?? 1;
}
