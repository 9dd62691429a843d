import type { Command } from 'commander';
import type { HelpCatalog } from './help-catalog.ts';

/** Every help page of the program, as `--help` prints it (the program's help width is fixed). */
export function renderHelpCatalog(program: Command): HelpCatalog {
  const pages: Record<string, string> = {};
  const visit = (command: Command, path: string[]) => {
    pages[path.join(' ')] = helpOf(command);
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return { pages };
}

/** What `outputHelp` writes for a command, with the text its ancestors add before and after. */
function helpOf(command: Command): string {
  const saved = command.configureOutput();
  let text = '';
  command.configureOutput({ ...saved, writeOut: (chunk: string) => (text += chunk) });
  try {
    command.outputHelp();
  } finally {
    command.configureOutput(saved);
  }
  return text;
}

/** The catalog file as `npm run cli-help` writes it. */
export function helpCatalogText(catalog: HelpCatalog): string {
  return `${JSON.stringify(catalog, null, 1)}\n`;
}
