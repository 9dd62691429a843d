import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { CONFIG_TEMPLATE } from '../config/config-template.ts';
import { writeConfigJsonSchema } from '../config/config-json-schema.ts';
import { writeDataMapJsonSchema } from '../../platform/datamap/datamap-json-schema.ts';
import { writeExampleDataMap } from '../../platform/datamap/example-datamap.ts';
import { Conflict } from '../../kernel/errors/domain-error.ts';
import { cliContext } from '../../kernel/cli/cli-context.ts';

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented steward.yaml and an example data-map folder')
    .argument('[dir]', 'folder to initialise', '.')
    .option('--force', 'overwrite an existing steward.yaml (data-map files are never overwritten)')
    .action(async (dir: string, options: { force?: boolean }, command: Command) => {
      const context = cliContext(command);
      const root = resolve(dir);
      const configFile = join(root, 'steward.yaml');
      if (existsSync(configFile) && !options.force) {
        throw new Conflict('init.exists', `${configFile} already exists. Use --force to overwrite it.`, {
          file: configFile,
        });
      }
      mkdirSync(root, { recursive: true });
      writeFileSync(configFile, CONFIG_TEMPLATE);
      const schemas = join(root, 'schemas');
      // The example is the user's to edit from now on: an existing one is kept even with --force.
      const example = writeExampleDataMap(join(root, 'datamap'));
      const written = [
        configFile,
        writeConfigJsonSchema(schemas),
        writeDataMapJsonSchema(schemas),
        ...(example ? [example] : []),
      ];
      const kept = example ? [] : [join(root, 'datamap', 'example.yaml')];
      const lines = [...written.map((f) => `  wrote ${f}`), ...kept.map((f) => `  kept  ${f}`)];
      context.print(
        `Initialised Steward in ${root}:\n${lines.join('\n')}\nNext: steward user create --email you@example.com --role owner --api-key (the first owner and a key), steward datamap validate, then steward serve`,
        { written, kept },
      );
    });
}
