import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { STEWARD_VERSION } from '../../kernel/version.ts';
import { answerFromHelpCatalog, HELP_CATALOG_FILE } from './help-catalog.ts';
import { helpCatalogText, renderHelpCatalog } from './help-catalog-build.ts';
import { buildProgram } from './program.ts';

test('the committed help pages are what the program renders now (else: npm run cli-help)', () => {
  const rendered = helpCatalogText(renderHelpCatalog(buildProgram()));
  assert.ok(
    readFileSync(HELP_CATALOG_FILE, 'utf8') === rendered,
    'src/app/cli/cli-help.json is out of date: a command, option or description changed. Run `npm run cli-help`.',
  );
});

test('help and version are answered from the catalog; anything else goes to the program', () => {
  const catalog = renderHelpCatalog(buildProgram());
  const answer = (...args: string[]) => answerFromHelpCatalog(args, catalog);
  assert.match(answer('--help')!, /^Usage: steward \[options\] \[command\]\n/);
  assert.equal(answer('-c', 'steward.yaml', '--json', 'help'), catalog.pages['']);
  assert.match(answer('dsr', 'submit', '--help')!, /^Usage: steward dsr submit \[options\]\n/);
  assert.equal(answer('help', 'dsr', 'submit'), answer('dsr', 'submit', '-h'));
  assert.equal(
    answer('--server', 'https://steward.example.com', 'retention', 'run', '--help'),
    catalog.pages['retention run'],
  );
  assert.equal(answer('--version'), `${STEWARD_VERSION}\n`);
  assert.equal(answer('-v'), `${STEWARD_VERSION}\n`);
  // Not help: the program runs (and reports unknown names and options itself).
  for (const args of [
    [],
    ['dsr', 'submit'],
    ['srve', '--help'],
    ['dsr', 'submit', '--type', 'access', '--help'],
    ['dsr', '--version'],
  ])
    assert.equal(answerFromHelpCatalog(args, catalog), undefined, args.join(' '));
});
