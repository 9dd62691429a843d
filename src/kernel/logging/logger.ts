import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { redactPersonalData, redactString } from './redact-personal-data.ts';

export type { Logger };

export interface LoggerSettings {
  level: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
  /**
   * A further pass over every logged string after the built-in one, for what only free-text
   * detection finds (names); the app installs the PII library's here, which the kernel cannot import.
   */
  redactText?: (text: string) => string;
}

/**
 * The one logger: structured JSON, with every object and message passed through the personal-data
 * redactor before it is written.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const extra = settings.redactText;
  const redactText = extra ? (text: string) => extra(redactString(text)) : redactString;
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'steward' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactPersonalData(object, 0, redactText) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  const destination = settings.destination ?? process.stdout;
  if ((destination as { isTTY?: boolean }).isTTY === true) return pino(options, readableLines(destination));
  return pino(options, destination as pino.DestinationStream);
}

/**
 * For a person at a terminal: one readable line per entry (time, level, message, fields) instead of
 * JSON; pipes, files and containers keep JSON for their collectors. The same redacted entries, only
 * formatted; synchronous, in this thread, so no line is lost at exit and no worker thread is started.
 */
function readableLines(terminal: NodeJS.WritableStream): pino.DestinationStream {
  const fd = terminal === process.stdout ? 1 : terminal === process.stderr ? 2 : undefined;
  return pretty({
    destination: fd ?? terminal,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
}
