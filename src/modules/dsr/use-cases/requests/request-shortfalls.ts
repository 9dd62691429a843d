import type { ErasureReport, RectificationReport } from '../execution/execution-report.ts';

interface StepLike {
  kind: string;
  system: string | null;
  status: string;
  result: unknown;
}

/**
 * What succeeded steps did not achieve although they ran to the end: rows of the subject still
 * found after an erasure outside any declared hold (and fields only pseudonymised), corrections
 * that could not be applied. Each is one sentence for the request's outcome reason; none may be
 * reported as `completed`.
 */
export function shortfallsOf(steps: StepLike[]): string[] {
  const shortfalls: string[] = [];
  for (const step of steps) {
    if (step.status !== 'succeeded' || !step.result) continue;
    if (step.kind === 'erase') {
      const report = (step.result as { report?: ErasureReport }).report;
      if (!report) continue;
      for (const survivor of report.verification?.survivors ?? [])
        shortfalls.push(
          `${report.system}: ${survivor.count} ${survivor.collection}${survivor.about ? ` (as ${survivor.about})` : ''} row${survivor.count === 1 ? '' : 's'} ${survivor.reason}`,
        );
      for (const collection of report.collections)
        if (collection.pseudonymised?.length)
          shortfalls.push(
            `${report.system}: ${collection.collection}.${collection.pseudonymised.join(', ')} only pseudonymised (still personal data)`,
          );
    }
    if (step.kind === 'rectify') {
      const report = (step.result as { report?: RectificationReport }).report;
      for (const skipped of report?.notChanged ?? [])
        shortfalls.push(
          `${report!.system}: ${skipped.collection}.${skipped.fields.join(', ')} not corrected: ${skipped.reason}`,
        );
    }
  }
  return shortfalls;
}
