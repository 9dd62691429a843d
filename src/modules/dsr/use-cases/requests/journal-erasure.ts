import type { Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { ErasureReport } from '../execution/index.ts';
import { journalHasher, recordErasure } from '../journal/index.ts';
import { planErasure, type SystemPlan } from '../../core/planning/index.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import type { RequestRow } from './request-record.ts';
import { decryptIdentities } from './subject-reference.ts';

/**
 * Writes the erased-subject journal entry of a finished erasure request (issue 3 item 7), in the
 * transaction that closes it: keyed hashes of the identities and the scope of the systems whose
 * erasure committed, so `steward dsr replay-erasures` can repeat exactly that after a restore.
 * Nothing is written when no system was erased.
 */
export async function journalErasure(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
): Promise<void> {
  if (request.type !== 'erasure') return;
  const done = await trx
    .selectFrom('dsr_request_steps')
    .select(['system', 'result'])
    .where('tenant_id', '=', request.tenant_id)
    .where('request_id', '=', request.id)
    .where('kind', '=', 'erase')
    .where('status', '=', 'succeeded')
    .execute();
  if (done.length === 0) return;
  const keyring = dsrKeyring(services.config.dsr);
  const identities = await decryptIdentities(trx, keyring, request.tenant_id, request.id);
  if (Object.keys(identities).length === 0) return;
  const plan = planErasure(
    services.dataMaps.forTenant(request.tenant_id).dataMap,
    Object.fromEntries(Object.entries(identities).map(([name, value]) => [name, [value]])),
    // A field-limited erasure is journalled (and replayed after a restore) with its limits.
    { ...(request.scope?.fields ? { fields: request.scope.fields } : {}) },
  );
  const erased = new Set(done.map((step) => step.system));
  // The part each step executed (planned with its system's live catalog) where it was recorded.
  const executed = new Map(
    done.flatMap((step) => {
      const recorded = (step.result as { plan?: SystemPlan } | null)?.plan;
      return recorded ? [[step.system, recorded] as const] : [];
    }),
  );
  await recordErasure(
    trx,
    {
      tenantId: request.tenant_id,
      plan: {
        ...plan,
        systems: plan.systems
          .filter((system) => erased.has(system.system))
          .map((system) => executed.get(system.system) ?? system),
        // Re-planned here without the catalogs; what each step executed had none of these.
        errors: plan.errors.filter((e) => !e.system || !executed.has(e.system)),
        warnings: (plan.warnings ?? []).filter((w) => !w.system || !executed.has(w.system)),
      },
      reports: done.map((step) => (step.result as { report: ErasureReport }).report),
      requestId: request.id,
    },
    journalHasher(keyring, request.tenant_id),
  );
}
