import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import { Conflict, NotFound } from '../../kernel/errors/domain-error.ts';
import type { AuditEventInput } from '../audit/audit-event.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { requirePerson, requireSecondPerson } from '../auth/separation-of-duties.ts';
import type { RotationReport, SecretStore } from './secret-store.ts';
import type { SecretsDatabase } from './store/secrets-database.ts';

type Db = DbHandle<SecretsDatabase>;
type AuditActor = AuditEventInput['actor'];

/** A proposed master key rotation: who, when, to which key version — never key material. */
export interface RotationProposal {
  id: string;
  toVersion: number;
  state: 'proposed' | 'completed' | 'superseded';
  proposedBy: AuditActor;
  proposedAt: string;
  carriedOutBy: AuditActor | null;
  carriedOutAt: string | null;
  rewrapped: number | null;
}

/** The tenants holding secrets not yet wrapped under `version`: those a rotation to it touches. */
export async function tenantsToRewrap(db: Db, version: number): Promise<string[]> {
  const rows = await db
    .selectFrom('secrets')
    .select('tenant_id')
    .distinct()
    .where('master_key_version', '<>', version)
    .orderBy('tenant_id')
    .execute();
  return rows.map((row) => row.tenant_id);
}

/**
 * Records that `proposer` wants every data key re-wrapped under master key version `toVersion`
 * (the first of the four eyes), audited in each tenant whose secrets it touches. One proposal is
 * open at a time: the same version's open proposal is returned as it is; another version's is
 * superseded by the new one.
 */
export async function proposeRotation(
  db: Db,
  input: { toVersion: number; proposer: AuditActor; tenants: readonly string[] },
): Promise<{ proposal: RotationProposal; created: boolean }> {
  try {
    return await db.transaction().execute(async (trx) => {
      const open = await trx
        .selectFrom('secrets_rotations')
        .selectAll()
        .where('state', '=', 'proposed')
        .forUpdate()
        .executeTakeFirst();
      if (open && open.to_version === input.toVersion) return { proposal: toProposal(open), created: false };
      if (open)
        await trx
          .updateTable('secrets_rotations')
          .set({ state: 'superseded' })
          .where('id', '=', open.id)
          .execute();
      const row = await trx
        .insertInto('secrets_rotations')
        .values({
          id: randomUUID(),
          to_version: input.toVersion,
          state: 'proposed',
          proposed_by_kind: input.proposer.kind,
          proposed_by_id: input.proposer.id,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const tenantId of input.tenants)
        await recordAuditEvent(trx, {
          tenantId,
          actor: input.proposer,
          action: 'secrets.rotation.proposed',
          object: { type: 'master_key', id: String(input.toVersion) },
          outcome: 'success',
          details: {
            proposalId: row.id,
            toVersion: input.toVersion,
            ...(open ? { supersedes: open.id } : {}),
          },
        });
      return { proposal: toProposal(row), created: true };
    });
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    throw new Conflict(
      'secrets.rotation_proposed_concurrently',
      'Someone proposed a rotation at the same moment. Run `steward secrets rotate` again to see the open proposal.',
    );
  }
}

/**
 * The second of the four eyes: `actor` carries out proposal `id` — unless they proposed it, when
 * the tenant policy asks for two people (`fourEyes`, 403 secrets.four_eyes) — after `confirm`.
 * The process must have the proposal's key version as its newest, so what was agreed is what
 * happens. Safe to interrupt: the proposal stays open and running it again finishes the rotation.
 */
export async function carryOutRotation(
  db: Db,
  store: SecretStore,
  input: {
    id: string;
    actor: AuditActor;
    fourEyes: boolean;
    batchSize: number;
    confirm(proposal: RotationProposal): Promise<void>;
  },
): Promise<{ proposal: RotationProposal; report: RotationReport }> {
  const row = await db
    .selectFrom('secrets_rotations')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!row)
    throw new NotFound(
      'secrets.rotation_not_found',
      `No rotation proposal ${input.id}. \`steward secrets rotate --as <you>\` shows the open one.`,
      { id: input.id },
    );
  const proposal = toProposal(row);
  if (proposal.state !== 'proposed')
    throw new Conflict(
      'secrets.rotation_not_open',
      `Rotation ${input.id} is ${proposal.state}: only an open proposal can be carried out.`,
      { id: input.id, state: proposal.state },
    );
  if (input.fourEyes) {
    const what = `Master key rotation ${input.id}`;
    requirePerson(
      'secrets.four_eyes',
      what,
      input.actor,
      'Name yourself with --as <your user id, e-mail or API key id>.',
    );
    requireSecondPerson('secrets.four_eyes', what, input.actor, [
      { role: 'proposer', actor: proposal.proposedBy },
    ]);
  }
  const newest = store.newestMasterKeyVersion();
  if (newest !== proposal.toVersion)
    throw new Conflict(
      'secrets.rotation_version_mismatch',
      `Rotation ${input.id} moves to master key version ${proposal.toVersion}, but the newest version this process has is ${newest}. Run it with the same STEWARD_MASTER_KEY as every Steward process, or propose a rotation to version ${newest}.`,
      { id: input.id, toVersion: proposal.toVersion, newest },
    );
  await input.confirm(proposal);
  const report = await store.rotate({
    batchSize: input.batchSize,
    actor: input.actor,
    details: { proposalId: proposal.id, proposedBy: proposal.proposedBy },
  });
  const done = await db
    .updateTable('secrets_rotations')
    .set({
      state: 'completed',
      carried_out_by_kind: input.actor.kind,
      carried_out_by_id: input.actor.id,
      carried_out_at: new Date(),
      rewrapped: report.rewrapped,
    })
    .where('id', '=', proposal.id)
    .where('state', '=', 'proposed')
    .returningAll()
    .executeTakeFirst();
  // Two people carrying it out at once both re-wrap (SKIP LOCKED shares the rows); the first closes it.
  return { proposal: done ? toProposal(done) : proposal, report };
}

function toProposal(row: Selectable<SecretsDatabase['secrets_rotations']>): RotationProposal {
  return {
    id: row.id,
    toVersion: row.to_version,
    state: row.state,
    proposedBy: { kind: row.proposed_by_kind as AuditActor['kind'], id: row.proposed_by_id },
    proposedAt: row.proposed_at.toISOString(),
    carriedOutBy:
      row.carried_out_by_kind && row.carried_out_by_id
        ? { kind: row.carried_out_by_kind as AuditActor['kind'], id: row.carried_out_by_id }
        : null,
    carriedOutAt: row.carried_out_at?.toISOString() ?? null,
    rewrapped: row.rewrapped,
  };
}
