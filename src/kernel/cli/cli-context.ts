import type { Command } from 'commander';
import type { Ora } from 'ora';
import { loadOnFirstUse } from '../runtime/load-on-first-use.ts';
import type { LoadConfigOptions, LoadedConfig } from '../config/load-config.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { InvalidInput, Unavailable } from '../errors/domain-error.ts';
import { confirmDestructive } from './confirm-destructive.ts';
import { resolveRemoteApi, type RemoteApi } from './remote-api.ts';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  debug?: boolean;
  /** Remote mode: the Steward server to talk to (`--server`, or STEWARD_SERVER). */
  server?: string;
  /** Remote mode: a profile saved by `steward login` (`--profile`, or STEWARD_PROFILE). */
  profile?: string;
  /** Destructive commands run without asking (scripts must pass it). */
  yes?: boolean;
}

/** How a command that works with data wants its services. */
export interface CommandServicesOptions {
  /** `--demo`: turn the demo on for this command, as `steward serve --demo` does. */
  demo?: boolean;
  /** True for commands that work on the systems' data: with the demo on, the demo shop is created on first use. */
  preparesDemoShop?: boolean;
  /** False for commands that enqueue no jobs: the engine is then not started (no queue set-up). Default true. */
  enqueuesJobs?: boolean;
  /** False for commands that need only the database and the job engine (no data maps, connectors, caches). */
  withModules?: boolean;
}

/**
 * What the app provides the CLI with, installed once before the program runs: the configuration
 * (the kernel's sections and every module's) and the services a command works with. The kernel
 * knows neither; commands name the part of the services they use as a type.
 */
export interface CliEnvironment {
  loadConfig(options: LoadConfigOptions): LoadedConfig<object>;
  /** The data maps the services would load (the user's and what modules add), without opening the database. */
  loadDataMaps(loaded: LoadedConfig<object>, logger: Logger): object;
  openServices(
    loaded: LoadedConfig<object>,
    logger: Logger,
    options: CommandServicesOptions,
  ): Promise<{ services: object; close(): Promise<void> }>;
  /** The free-text pass of log redaction (names and the like), which the kernel's logger cannot detect alone. */
  redactText?: (text: string) => string;
}

let environment: CliEnvironment | undefined;

/** Called by the app's CLI entry point (and tests that run commands in-process) before parsing. */
export function installCliEnvironment(installed: CliEnvironment): void {
  environment = installed;
}

/** What a command needs from the CLI layer: config, services, logger and output in the chosen format. */
export interface CliContext {
  options: GlobalOptions;
  /** The whole validated configuration; `Config` is the part the command reads. */
  loadConfig<Config extends object = object>(): LoadedConfig<Config>;
  /** The validated data maps (the user's and what modules add, such as the demo shop's); `Registry` is their type. */
  dataMaps<Registry extends object>(): Registry;
  /**
   * Runs `work` with the services of a worker-less process — database (migrated), a job engine that
   * only enqueues (workers run the jobs), data maps and connectors — and closes them after.
   */
  withServices<Services extends object, T>(
    options: CommandServicesOptions,
    work: (services: Services) => Promise<T>,
  ): Promise<T>;
  /**
   * Remote mode (`--server`, `--profile`): the API of the running deployment; undefined in local mode.
   * A command with an API equivalent calls it when set; `withServices` refuses in remote mode.
   * `localOptions` names the options given that only a local run honours (`{ '--demo': options.demo }`):
   * in remote mode one that is set is refused, not silently ignored.
   */
  remote(localOptions?: Record<string, unknown>): RemoteApi | undefined;
  /**
   * Asks before something that cannot be undone: prints `summary` and waits for "y" on a terminal;
   * with --yes it goes ahead; without a terminal and without --yes it refuses, so a script never
   * deletes by accident.
   */
  confirm(summary: string): Promise<void>;
  logger(level?: string): Logger;
  /** Prints a result: the human text, or the data as JSON with --json. */
  print(human: string, data?: unknown): void;
  /** A spinner on stderr for work that may take more than a second; silent with --json or no TTY. */
  spinner(text: string): Ora;
}

function installed(): CliEnvironment {
  if (!environment)
    throw new Unavailable(
      'cli.not_installed',
      'The CLI environment is not installed: start Steward through its `steward` entry point.',
    );
  return environment;
}

export function cliContext(command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const logger = (level?: string) =>
    // Logs go to stderr so that stdout stays clean for results and --json.
    createLogger({
      level: level ?? (options.debug ? 'debug' : 'warn'),
      destination: process.stderr,
      ...(environment?.redactText ? { redactText: environment.redactText } : {}),
    });
  let remoteApi: RemoteApi | undefined | null = null;
  const remote = (localOptions: Record<string, unknown> = {}) => {
    if (remoteApi === null) {
      // A --tenant given on the command line names the tenant to act in (X-Steward-Tenant); its
      // default does not: a key acts in its own tenant.
      const tenant =
        command.getOptionValueSource('tenant') === 'cli'
          ? String(command.getOptionValue('tenant'))
          : undefined;
      remoteApi = resolveRemoteApi({ server: options.server, profile: options.profile, tenant });
    }
    const localOnly = Object.keys(localOptions).filter(
      (name) => localOptions[name] !== undefined && localOptions[name] !== false,
    );
    if (remoteApi && localOnly.length)
      throw new InvalidInput(
        'cli.local_option',
        `${localOnly.join(', ')} of \`steward ${commandPath(command)}\` works only where Steward runs; in remote mode the server's configuration decides. Remove it, or run without --server and --profile.`,
      );
    return remoteApi;
  };
  const loadConfig = <Config extends object>() =>
    installed().loadConfig({ path: options.config }) as LoadedConfig<Config>;
  return {
    options,
    loadConfig,
    dataMaps: <Registry extends object>() => installed().loadDataMaps(loadConfig(), logger()) as Registry,
    async withServices<Services extends object, T>(
      serviceOptions: CommandServicesOptions,
      work: (services: Services) => Promise<T>,
    ): Promise<T> {
      if (remote()) {
        throw new InvalidInput(
          'cli.local_only',
          `\`steward ${commandPath(command)}\` works on Steward's database directly and has no remote mode: run it where Steward runs, without --server or --profile.`,
        );
      }
      const opened = await installed().openServices(loadConfig(), logger(), serviceOptions);
      try {
        return await work(opened.services as Services);
      } finally {
        await opened.close();
      }
    },
    remote,
    confirm: (summary) => confirmDestructive(summary, options.yes === true),
    logger,
    print(human, data) {
      if (options.json) process.stdout.write(`${JSON.stringify(data ?? { message: human }, null, 2)}\n`);
      else process.stdout.write(`${human}\n`);
    },
    spinner(text) {
      // Without a terminal (pipes, containers, CI) it stays silent: the progress text would only clutter logs.
      // A terminal of no width (a 0-column pty, some CI consoles) too: ora divides by the width to count
      // the lines to erase, and with 0 it wrote cursor codes without end (216 MB) and never yielded to SIGTERM.
      const interactive = !options.json && process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
      return loadOra().default({
        text,
        stream: process.stderr,
        isEnabled: interactive,
        isSilent: !interactive,
      });
    },
  };
}

// The spinner library loads when a command first shows progress, not in `serve` or `worker` (~6 MB each).
const loadOra = loadOnFirstUse<typeof import('ora')>('ora');

/** `dsr approve`, for messages: the command's path below the program. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}
