import type { Command } from 'commander';
import ora, { type Ora } from 'ora';
import { loadConfig, type LoadedConfig } from '../config/load-config.ts';
import { createLogger, type Logger } from '../logging/logger.ts';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  debug?: boolean;
}

/** What a command needs from the CLI layer: config, logger and output in the chosen format. */
export interface CliContext {
  options: GlobalOptions;
  loadConfig(): LoadedConfig;
  logger(level?: string): Logger;
  /** Prints a result: the human text, or the data as JSON with --json. */
  print(human: string, data?: unknown): void;
  /** A spinner on stderr for work that may take more than a second; silent with --json or no TTY. */
  spinner(text: string): Ora;
}

export function cliContext(command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    options,
    loadConfig: () => loadConfig({ path: options.config }),
    logger(level) {
      // Logs go to stderr so that stdout stays clean for results and --json.
      return createLogger({
        level: level ?? (options.debug ? 'debug' : 'warn'),
        destination: process.stderr,
      });
    },
    print(human, data) {
      if (options.json) process.stdout.write(`${JSON.stringify(data ?? { message: human }, null, 2)}\n`);
      else process.stdout.write(`${human}\n`);
    },
    spinner(text) {
      // Without a terminal (pipes, containers, CI) it stays silent: the progress text would only clutter logs.
      const interactive = !options.json && process.stderr.isTTY === true;
      return ora({ text, stream: process.stderr, isEnabled: interactive, isSilent: !interactive });
    },
  };
}
