import type { CliContext } from '../../../kernel/cli/cli-context.ts';
import type { RetentionServices } from '../retention-services.ts';
import type { Ora } from 'ora';

/**
 * The services a retention command works with, for the length of the command (see
 * CliContext.withServices). Retention works on the systems' data, so `--demo` (or demo in the config)
 * makes sure the demo shop exists first (created on first use), as `steward serve --demo` does.
 */
export function withRetentionServices<T>(
  context: CliContext,
  options: { demo?: boolean },
  work: (services: RetentionServices) => Promise<T>,
): Promise<T> {
  return context.withServices({ demo: options.demo, preparesDemoShop: true }, work);
}

/** `[██████░░░░]  61%  1,234 of 2,000 rows  shop.sessions` on the spinner line. */
export function progressText(rowsDone: number, rowsEstimated: number, label: string): string {
  const ratio = rowsEstimated > 0 ? Math.min(1, rowsDone / rowsEstimated) : 0;
  const filled = Math.round(ratio * 24);
  return `[${'█'.repeat(filled)}${'░'.repeat(24 - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${rowsDone.toLocaleString('en-US')} of ${rowsEstimated.toLocaleString('en-US')} rows  ${label}`;
}

/** Ctrl-C stops after the current batch; the run stays resumable (`steward retention resume`). */
export function abortOnInterrupt(spinner: Ora): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    spinner.text = 'Stopping after the current batch…';
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
