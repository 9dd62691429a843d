import { Command } from 'commander';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import type { DatabaseConfig } from '../../../kernel/config/kernel-config-schema.ts';
import type { DemoConfig } from '../config-schema.ts';
import { ensureDemoShop, type DemoShopProgress } from '../shop/ensure-demo-shop.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { cliContext } from '../../../kernel/cli/cli-context.ts';

export function demoCommand(): Command {
  return new Command('demo')
    .description('create the demo "shop" system (or reuse it) and print what is in it')
    .option('--reset', 'throw the existing demo shop away and seed a new one')
    .option('--people <n>', 'override demo.people: customers to seed')
    .action(async (options: { reset?: boolean; people?: string }, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<{ demo: DemoConfig; database: DatabaseConfig }>();
      if (options.people !== undefined) config.demo.people = parsePeople(options.people);
      if (options.reset)
        await context.confirm(
          `Resetting drops the demo shop database "${config.demo.database}" with everything in it and seeds a new one with ${config.demo.people.toLocaleString('en-US')} people.`,
        );
      const spinner = context.spinner('Checking the demo shop').start();
      // The shop is a database on Steward's own server (embedded or database.url): open that first.
      const database = await openDatabase(config.database);
      const shop = await ensureDemoShop({
        serverUrl: database.url,
        database: config.demo.database,
        people: config.demo.people,
        reset: options.reset === true,
        onProgress: (progress) => {
          spinner.text = describeProgress(progress);
        },
      }).finally(async () => {
        spinner.stop();
        await database.close();
      });
      const width = Math.max(...Object.keys(shop.counts).map((table) => table.length));
      const lines = Object.entries(shop.counts).map(
        ([table, count]) => `  ${table.padEnd(width)}  ${count.toLocaleString('en-US').padStart(7)}`,
      );
      const headline =
        shop.outcome === 'reused'
          ? `Demo shop in database ${shop.database} (seeded ${shop.seededAt}, reused):`
          : `Demo shop ${shop.outcome} in database ${shop.database} (${shop.reason ?? 'new'}):`;
      // The URL may carry a password: it is not printed, in text or JSON.
      const { url: _url, ...printable } = shop;
      context.print(`${headline}\n${lines.join('\n')}\nData map: ${shop.dataMapPath}`, printable);
    });
}

function describeProgress(progress: DemoShopProgress): string {
  if (progress.phase === 'creating') return `Creating the demo shop: ${progress.reason}`;
  if (progress.phase === 'seeding')
    return `Seeding the demo shop: ${progress.peopleDone} of ${progress.people} people`;
  if (progress.phase === 'done') return 'Demo shop ready';
  return 'Checking the demo shop';
}

function parsePeople(value: string): number {
  const people = Number(value);
  if (!Number.isInteger(people) || people < 10 || people > 100_000) {
    throw new InvalidInput(
      'cli.invalid_people',
      `--people ${value} is not a number of people from 10 to 100000.`,
    );
  }
  return people;
}
