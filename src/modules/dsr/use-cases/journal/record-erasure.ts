import { randomUUID } from 'node:crypto';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { ErasureReport } from '../execution/execution-report.ts';
import type { DsrPlan } from '../../core/planning/dsr-plan.ts';
import type { DsrKeyring } from '../requests/dsr-keyring.ts';
import type { DbHandle } from '../../../../kernel/database/db-handle.ts';

/** Keyed hash of one normalised identity value; the journal never stores the value itself. */
export type IdentityHasher = (name: string, normalisedValue: string) => string;

/**
 * The journal's hasher: the DSR keyring's keyed hash under a purpose of its own, so journal hashes
 * cannot be matched against the request tables' lookup hashes, and one secret (dsr.keyRef) backs both.
 */
export function journalHasher(keyring: DsrKeyring, tenantId: string): IdentityHasher {
  return (name, value) => keyring.lookupHash(tenantId, `erasure-journal:${name}`, value);
}

export interface ErasureJournalInput {
  tenantId: string;
  /** The executed erasure plan (`planErasure`). */
  plan: DsrPlan;
  /** The per-system reports, for the summary (counts only are kept). */
  reports: ErasureReport[];
  /** Recording twice for one request keeps one entry (a job step that re-runs). */
  requestId?: string;
  erasedAt?: Date;
}

/**
 * Records an erasure in the erased-subject journal: the identities as keyed hashes and the plan's
 * scope with its values removed. Call it with the transaction that marks the erasure done.
 */
export async function recordErasure(
  db: DbHandle<DsrDatabase>,
  input: ErasureJournalInput,
  hash: IdentityHasher,
): Promise<string> {
  const id = input.requestId ? `erasure-${input.requestId}` : randomUUID();
  const identityHashes = Object.fromEntries(
    input.plan.identities.map((identity) => [
      identity.name,
      identity.values.map((value) => hash(identity.name, value)),
    ]),
  );
  const scope: DsrPlan = {
    ...input.plan,
    identities: input.plan.identities.map((identity) => ({ ...identity, values: [] })),
  };
  const summary = input.reports.map((report) => ({
    system: report.system,
    collections: report.collections.map(
      ({ collection, rowsDeleted, rowsDeletedByCascade, fieldsMasked, rowsKept }) => ({
        collection,
        rowsDeleted,
        rowsDeletedByCascade,
        fieldsMasked,
        rowsKept,
      }),
    ),
  }));
  await db
    .insertInto('dsr_erasure_journal')
    .values({
      id,
      tenant_id: input.tenantId,
      request_id: input.requestId ?? null,
      erased_at: input.erasedAt ?? new Date(),
      identity_hashes: JSON.stringify(identityHashes),
      scope: JSON.stringify(scope),
      summary: JSON.stringify(summary),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return id;
}
