import { readFileSync } from 'node:fs';
import { STEWARD_VERSION } from '../../kernel/version.ts';

/**
 * `steward --help`, `steward <command…> --help`, `steward help <command…>` and `steward --version`
 * answered without building the program: building it loads every module (their routes, jobs and
 * libraries), about a second, where a help page should take a few milliseconds. The pages are the
 * program's own, rendered by `npm run cli-help` into cli-help.json; a test fails when they differ
 * from what the program renders now. Anything else — or a word the catalog does not know — goes to
 * the full program, which also gives the usual errors.
 */
export interface HelpCatalog {
  /** Rendered help by command path ('' is the program, 'dsr submit' a subcommand). */
  pages: Record<string, string>;
}

export const HELP_CATALOG_FILE = new URL('./cli-help.json', import.meta.url);

/** Root options that may stand anywhere before the help flag: flags, and options that take a value. */
const GLOBAL_FLAGS = new Set(['--json', '--debug', '-y', '--yes']);
const GLOBAL_VALUE_OPTIONS = new Set(['-c', '--config', '--server', '--profile']);

/** What to print for these arguments, or undefined when the full program must run. */
export function answerFromHelpCatalog(args: readonly string[], catalog = loadCatalog()): string | undefined {
  if (!catalog) return undefined;
  const words: string[] = [];
  let help = false;
  let version = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (GLOBAL_FLAGS.has(arg)) continue;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) {
      index++;
      continue;
    }
    if (/^--(config|server|profile)=/.test(arg)) continue;
    if (arg === '-h' || arg === '--help') help = true;
    else if ((arg === '-v' || arg === '--version') && words.length === 0) version = true;
    else if (arg.startsWith('-')) return undefined;
    else words.push(arg);
  }
  if (version && !help) return words.length === 0 ? `${STEWARD_VERSION}\n` : undefined;
  if (words[0] === 'help' && !help) {
    words.shift();
    help = true;
  }
  if (!help) return undefined;
  return catalog.pages[words.join(' ')];
}

function loadCatalog(): HelpCatalog | undefined {
  try {
    return JSON.parse(readFileSync(HELP_CATALOG_FILE, 'utf8')) as HelpCatalog;
  } catch {
    // No catalog (a build without it): the full program answers, only slower.
    return undefined;
  }
}
