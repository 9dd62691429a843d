import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { CONFIG_TEMPLATE } from '../../config/config-template.ts';
import { writeConfigJsonSchema } from '../../config/config-json-schema.ts';
import { Conflict } from '../../errors/domain-error.ts';
import { cliContext } from '../cli-context.ts';

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented steward.yaml and an example data-map folder')
    .argument('[dir]', 'folder to initialise', '.')
    .option('--force', 'overwrite an existing steward.yaml')
    .action(async (dir: string, options: { force?: boolean }, command: Command) => {
      const context = cliContext(command);
      const root = resolve(dir);
      const configFile = join(root, 'steward.yaml');
      if (existsSync(configFile) && !options.force) {
        throw new Conflict('init.exists', `${configFile} already exists. Use --force to overwrite it.`, { file: configFile });
      }
      mkdirSync(join(root, 'datamap'), { recursive: true });
      writeFileSync(configFile, CONFIG_TEMPLATE);
      const schemaFile = writeConfigJsonSchema(join(root, 'schemas'));
      const written = [configFile, schemaFile, join(root, 'datamap')];
      context.print(`Initialised Steward in ${root}:\n${written.map((f) => `  ${f}`).join('\n')}\nNext: steward serve`, { written });
    });
}
