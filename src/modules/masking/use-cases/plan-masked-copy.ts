import { createKeyedDigest } from '../core/keyed-digest.ts';
import type { MaskingPlanSummary } from '../core/masking-run-types.ts';
import { buildMaskingPlan } from './build-masking-plan.ts';
import type { MaskingDeps } from './masking-deps.ts';
import { openSourceReader } from './open-masking-endpoints.ts';
import { DEFAULT_MASKING_OPTIONS, type MaskingRunRequest } from './request-masking-run.ts';

/**
 * What a masked copy would do, without copying: every table with the rows it would write (exact
 * for a subset, computed now; the database's estimate otherwise), each masked column's
 * transformer and why, and the warnings. Reads the source only.
 */
export async function planMaskedCopy(
  deps: MaskingDeps,
  tenantId: string,
  request: Omit<MaskingRunRequest, 'target' | 'actor'>,
): Promise<MaskingPlanSummary> {
  const options = { ...DEFAULT_MASKING_OPTIONS, ...request.options };
  const system = deps.system(tenantId, request.sourceSystem);
  const reader = await openSourceReader(
    system,
    system.kind === 'mysql' ? [] : options.schemas,
    1,
    (reference) => deps.resolveSecret(reference, tenantId),
  );
  try {
    const key = Buffer.from(await deps.resolveSecret(options.keyReference, tenantId), 'utf8');
    return (await buildMaskingPlan(reader, system, options, createKeyedDigest(key), !deps.redactText))
      .summary;
  } finally {
    await reader.close();
  }
}
