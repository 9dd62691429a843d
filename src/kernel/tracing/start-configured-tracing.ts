import { z } from 'zod';
import { tracingConfigSchema } from '../config/kernel-config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { startTracing } from './tracing.ts';

/** Only the tracing section: the rest of steward.yaml is checked when the program loads it. */
const tracingOnly = z.object({ tracing: tracingConfigSchema.default(tracingConfigSchema.parse({})) }).loose();

/** The processes worth tracing: they serve requests and run jobs for as long as they live. */
const LONG_RUNNING = new Set(['serve', 'worker']);

/**
 * Starts tracing for `steward serve` and `steward worker` when steward.yaml (the same file, `${ENV}`
 * and STEWARD_TRACING__* overrides as the program reads) sets `tracing.otlpEndpoint`. Called by the
 * CLI entry point before it imports the program: instrumentation patches modules as they are
 * imported. A file that cannot be read is left for the program to report, with tracing off.
 */
export async function startConfiguredTracing(args: readonly string[], env = process.env): Promise<boolean> {
  if (!args.some((arg) => LONG_RUNNING.has(arg))) return false;
  let config;
  try {
    ({ config } = loadConfig({ schema: tracingOnly, pathKeys: [] }, { path: configPathOf(args), env }));
  } catch {
    return false;
  }
  return startTracing(config.tracing);
}

/** `-c <path>`, `--config <path>` or `--config=<path>`, as the program's option reads it. */
function configPathOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
    if (arg === '--config' || arg === '-c') return args[i + 1];
  }
  return undefined;
}
