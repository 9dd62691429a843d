// `npm run cli-help`: renders every help page of the `steward` program into src/app/cli/cli-help.json,
// which `steward --help` (any command's) reads instead of building the program. Re-run after changing
// a command, an option or a description; a test fails when the committed pages are out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../src/app/cli/program.ts';
import { HELP_CATALOG_FILE } from '../src/app/cli/help-catalog.ts';
import { helpCatalogText, renderHelpCatalog } from '../src/app/cli/help-catalog-build.ts';

const catalog = renderHelpCatalog(buildProgram());
writeFileSync(HELP_CATALOG_FILE, helpCatalogText(catalog));
console.log(`wrote ${fileURLToPath(HELP_CATALOG_FILE)} (${Object.keys(catalog.pages).length} pages)`);
