import type { DataMapProblem } from './datamap-problem.ts';
import { formatPath, type DataMapSource } from './datamap-source.ts';

/** Where a loaded object (system, collection, field) was declared. */
export interface DataMapLocation {
  source: DataMapSource;
  path: (string | number)[];
}

export interface ProblemInput {
  code: string;
  message: string;
  fix: string;
  severity?: 'error' | 'warning';
  subject?: string;
}

/**
 * Remembers the file and YAML path of every loaded object, so validation that works on the merged
 * data map can still point at the line to edit.
 */
export class DataMapLocator {
  readonly #locations = new WeakMap<object, DataMapLocation>();
  readonly problems: DataMapProblem[] = [];
  /** Collections with a reference that did not resolve: reachability is not judged on them. */
  readonly #unresolved = new WeakSet<object>();

  markUnresolved(collection: object): void {
    this.#unresolved.add(collection);
  }

  isUnresolved(collection: object): boolean {
    return this.#unresolved.has(collection);
  }

  set(object: object, location: DataMapLocation): void {
    this.#locations.set(object, location);
  }

  get(object: object): DataMapLocation | undefined {
    return this.#locations.get(object);
  }

  /** Records a problem at `object`'s location plus `subPath` (e.g. `['categories', 0]`). */
  report(object: object, subPath: (string | number)[], input: ProblemInput): void {
    const location = this.#locations.get(object);
    if (!location) {
      this.problems.push({
        severity: input.severity ?? 'error',
        code: input.code,
        file: '(data map)',
        path: formatPath(subPath),
        subject: input.subject,
        message: input.message,
        fix: input.fix,
      });
      return;
    }
    this.reportAt(location.source, [...location.path, ...subPath], input);
  }

  reportAt(source: DataMapSource, path: (string | number)[], input: ProblemInput): void {
    const problem: DataMapProblem = {
      severity: input.severity ?? 'error',
      code: input.code,
      file: source.file,
      path: formatPath(path),
      message: input.message,
      fix: input.fix,
    };
    const line = source.lineOf(path);
    if (line !== undefined) problem.line = line;
    if (input.subject) problem.subject = input.subject;
    this.problems.push(problem);
  }
}
