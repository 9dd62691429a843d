import { Conflict } from '../../../kernel/errors/domain-error.ts';
import type { MaskingReport } from '../core/masking-run-types.ts';
import { executeMaskingRun } from './execute-masking-run.ts';
import type { MaskingDeps } from './masking-deps.ts';
import { requestMaskingRun, type MaskingRunRequest } from './request-masking-run.ts';

/**
 * Makes a masked copy of a PostgreSQL or MySQL/MariaDB system into an empty database of the same
 * kind, in the foreground: requested, executed and reported. The run is recorded like a
 * background one, so an interrupted call is finished by `resumeMaskingRun` (executeMaskingRun).
 */
export async function copyMaskedDatabase(
  deps: MaskingDeps,
  tenantId: string,
  request: Omit<MaskingRunRequest, 'target'> & { targetUrl: string },
  signal?: AbortSignal,
): Promise<MaskingReport> {
  const id = await requestMaskingRun(deps, tenantId, {
    ...request,
    target: { kind: 'database', url: request.targetUrl },
  });
  return finished(await executeMaskingRun(deps, tenantId, id, { signal }), id);
}

/** Writes a masked copy of a PostgreSQL system as a pg_dump-compatible plain SQL file for psql. */
export async function writeMaskedDump(
  deps: MaskingDeps,
  tenantId: string,
  request: Omit<MaskingRunRequest, 'target'> & { path: string },
  signal?: AbortSignal,
): Promise<MaskingReport> {
  const id = await requestMaskingRun(deps, tenantId, {
    ...request,
    target: { kind: 'dump', path: request.path },
  });
  return finished(await executeMaskingRun(deps, tenantId, id, { signal }), id);
}

function finished(outcome: Awaited<ReturnType<typeof executeMaskingRun>>, id: string): MaskingReport {
  if (outcome.kind === 'finished') return outcome.report;
  throw new Conflict(
    'masking.run_held',
    `Masking run ${id} was claimed by another process before this one could start it.`,
    { runId: id },
  );
}
