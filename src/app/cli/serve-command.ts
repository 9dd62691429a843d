import { Command } from 'commander';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { startSteward, type ProcessRole, type StewardRuntime } from '../start-steward.ts';
import { cliContext } from '../../kernel/cli/cli-context.ts';
import { describeConnectionUrl } from '../../kernel/database/connection-url.ts';
import type { StewardConfig } from '../config/config-schema.ts';
import { startedAddresses, whereToGoNext } from './where-to-go-next.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the HTTP API (and, unless jobs.runInServe is false, the job worker)')
    .option('-p, --port <port>', 'override server.port')
    .option('--host <host>', 'override server.host')
    .option('--demo', 'create (first time) and register the demo "shop" system')
    .action(async (options: { port?: string; host?: string; demo?: boolean }, command: Command) => {
      await runProcess(command, 'serve', options);
    });
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('run a job worker without the HTTP API (start as many as the load needs, on PostgreSQL)')
    .action(async (_options: object, command: Command) => {
      await runProcess(command, 'worker', {});
    });
}

async function runProcess(
  command: Command,
  role: ProcessRole,
  overrides: { port?: string; host?: string; demo?: boolean },
): Promise<void> {
  const context = cliContext(command);
  const { config } = context.loadConfig<StewardConfig>();
  if (overrides.port !== undefined) {
    const port = Number(overrides.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InvalidInput(
        'cli.invalid_port',
        `--port ${overrides.port} is not a TCP port. Give a number from 0 to 65535.`,
      );
    }
    config.server.port = port;
  }
  if (overrides.host) config.server.host = overrides.host;
  if (overrides.demo) config.demo.enabled = true;
  const logger = context.logger(context.options.debug ? 'debug' : config.logging.level);
  const spinner = context.spinner(role === 'serve' ? 'Starting Steward' : 'Starting worker').start();
  let runtime: StewardRuntime;
  try {
    runtime = await startSteward(config, logger, {
      role,
      onDatabaseRetry: (attempt, delayMs, reason) => {
        spinner.text = `Waiting for the database (attempt ${attempt}: ${reason}; next in ${delayMs} ms)`;
      },
    });
  } catch (error) {
    spinner.stop();
    throw error;
  }
  spinner.stop();
  const backend = runtime.database.embedded
    ? `embedded PostgreSQL in ${runtime.database.embedded.dataDir}`
    : `PostgreSQL at ${describeConnectionUrl(runtime.database.url)}`;
  const demoKey = runtime.demoOwnerKey;
  const addresses = runtime.address ? startedAddresses(config, runtime.address) : undefined;
  context.print(
    [
      role === 'serve'
        ? `Steward is listening on ${runtime.address} (${backend}). API docs: ${addresses?.docs}`
        : `Steward worker running (${backend}).`,
      ...(addresses ? ['', ...whereToGoNext(config, addresses, demoKey), ''] : []),
    ].join('\n'),
    {
      role,
      address: runtime.address,
      ...addresses,
      database: runtime.database.embedded ? 'embedded' : 'postgres',
      pid: process.pid,
      demoOwnerKeyFile: demoKey?.file,
    },
  );
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`steward: ${signal} again, exiting at once\n`);
      process.exit(130);
    }
    signalled = true;
    process.stderr.write(`steward: ${signal} received, shutting down gracefully\n`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`steward: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
