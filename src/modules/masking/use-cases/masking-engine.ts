import type * as ExecuteMaskingRun from './execute-masking-run.ts';
import type * as PlanMaskedCopy from './plan-masked-copy.ts';

/*
 * The copy engine — transformers, faker's locale data, libphonenumber's metadata — is loaded on first
 * use, not when Steward starts: most processes never make a masked copy, and the engine's data is
 * tens of megabytes of memory (`npm start` stays within its memory budget).
 */

export async function executeMaskingRun(
  ...args: Parameters<typeof ExecuteMaskingRun.executeMaskingRun>
): ReturnType<typeof ExecuteMaskingRun.executeMaskingRun> {
  return (await import('./execute-masking-run.ts')).executeMaskingRun(...args);
}

export async function planMaskedCopy(
  ...args: Parameters<typeof PlanMaskedCopy.planMaskedCopy>
): ReturnType<typeof PlanMaskedCopy.planMaskedCopy> {
  return (await import('./plan-masked-copy.ts')).planMaskedCopy(...args);
}
