import { InvalidInput } from '../../kernel/errors/domain-error.ts';

/** One finding of data-map validation: where (file, line, YAML path), what is wrong, and the fix. */
export interface DataMapProblem {
  severity: 'error' | 'warning';
  /** Stable, e.g. `datamap.unknown_category`. */
  code: string;
  file: string;
  line?: number;
  /** YAML path, e.g. `systems[0].collections[2].fields[3].categories[0]`. */
  path: string;
  /** What it concerns in data-map terms, e.g. `shop.orders.email`. */
  subject?: string;
  message: string;
  fix: string;
}

/** `file:line path (subject): message. Fix: fix` — one line per problem. */
export function formatProblem(problem: DataMapProblem): string {
  const where = `${problem.file}${problem.line ? `:${problem.line}` : ''}`;
  const path = problem.path ? ` ${problem.path}` : '';
  const subject = problem.subject ? ` (${problem.subject})` : '';
  const stop = /[?.!]$/.test(problem.message) ? '' : '.';
  return `${where}${path}${subject}: ${problem.message}${stop} Fix: ${problem.fix}.`;
}

/** The error loading throws when any problem is an error; warnings ride along in the details. */
export function dataMapInvalid(problems: DataMapProblem[]): InvalidInput {
  const errors = problems.filter((p) => p.severity === 'error');
  const lines = errors.map((p) => `  ${formatProblem(p)}`).join('\n');
  return new InvalidInput(
    'datamap.invalid',
    `The data map has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${lines}`,
    {
      problems,
    },
  );
}
