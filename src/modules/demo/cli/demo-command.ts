import { Command } from 'commander';
import { demoShopSettings } from '../shop/demo-shop-settings.ts';
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
      const { config } = context.loadConfig();
      if (options.people !== undefined) config.demo.people = parsePeople(options.people);
      const settings = demoShopSettings(config);
      const spinner = context.spinner('Checking the demo shop').start();
      const shop = await ensureDemoShop({
        ...settings,
        reset: options.reset === true,
        onProgress: (progress) => {
          spinner.text = describeProgress(progress);
        },
      }).finally(() => spinner.stop());
      const width = Math.max(...Object.keys(shop.counts).map((table) => table.length));
      const lines = Object.entries(shop.counts).map(
        ([table, count]) => `  ${table.padEnd(width)}  ${count.toLocaleString('en-US').padStart(7)}`,
      );
      const headline =
        shop.outcome === 'reused'
          ? `Demo shop in ${shop.dataDir} (seeded ${shop.seededAt}, reused):`
          : `Demo shop ${shop.outcome} in ${shop.dataDir} (${shop.reason ?? 'new'}):`;
      context.print(`${headline}\n${lines.join('\n')}\nData map: ${shop.dataMapPath}`, shop);
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
