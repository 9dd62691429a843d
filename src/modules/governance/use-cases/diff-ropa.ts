import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { diffRecords, type RopaDiff } from '../core/ropa-diff.ts';
import { governanceDb } from '../store/governance-db.ts';
import { listGenerations, readGeneration } from '../store/ropa-store.ts';
import { generateRopa } from './generate-ropa.ts';
import type { GovernanceDeps } from './governance-deps.ts';

/**
 * The changes between two stored generations; by default between the one before the current
 * record and the current record (generated now, so a data-map change shows at once).
 */
export async function diffRopa(
  deps: GovernanceDeps,
  tenantId: string,
  ids: { from?: string; to?: string } = {},
): Promise<RopaDiff> {
  const db = governanceDb(deps.database.db);
  const load = async (id: string) => {
    const record = await readGeneration(db, tenantId, id);
    if (!record)
      throw new NotFound(
        'governance.ropa_generation_not_found',
        `No generation ${id} of the record of processing; list them with GET /v1/governance/ropa/generations.`,
        { id },
      );
    return record;
  };
  const to = ids.to ? await load(ids.to) : (await generateRopa(deps, tenantId)).record;
  if (ids.from) return diffRecords(await load(ids.from), to);
  const generations = await listGenerations(db, tenantId, 2);
  const previous = generations.find((g) => g.generatedAt < to.generatedAt && g.id !== ids.to);
  return diffRecords(previous ? await load(previous.id) : { ...to, entries: [] }, to);
}
