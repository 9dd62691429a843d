import { Command } from 'commander';
import { openDatabase } from '../../kernel/database/open-database.ts';
import type { StewardConfig } from '../config/config-schema.ts';
import type { Database } from '../database.ts';
import { migrateSteward } from '../start-steward.ts';
import { cliContext } from '../../kernel/cli/cli-context.ts';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('bring the database schema up to date (also done at every start)')
    .action(async (_o: object, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<StewardConfig>();
      const spinner = context.spinner('Migrating').start();
      const database = await openDatabase<Database>(config.database).finally(() => spinner.stop());
      try {
        const spin = context.spinner('Applying migrations').start();
        const outcome = await migrateSteward(database).finally(() => spin.stop());
        context.print(
          outcome.applied.length
            ? `Applied ${outcome.applied.length} migration(s):\n${outcome.applied.map((name) => `  ${name}`).join('\n')}`
            : `The schema is up to date (${outcome.total} migrations).`,
          outcome,
        );
      } finally {
        await database.close();
      }
    });
}
