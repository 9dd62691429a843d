import type { Transaction } from 'kysely';
import type { AuditEventInput } from '../audit/audit-event.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { SecretsDatabase } from './store/secrets-database.ts';
import { InvalidInput, NotFound, Unavailable } from '../../kernel/errors/domain-error.ts';
import { openSecret, rewrapSecret, sealSecret, type SealedSecret } from './envelope-encryption.ts';
import type { MasterKeyRing } from './master-key-ring.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

export const SECRET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** A secret as listed: never its value. */
export interface SecretSummary {
  name: string;
  version: number;
  masterKeyVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface RotationReport {
  toVersion: number;
  rewrapped: number;
  byTenant: Record<string, number>;
}

type AuditActor = AuditEventInput['actor'];

const SYSTEM_ROTATION: AuditActor = { kind: 'system', id: 'steward-secrets-rotate' };

/** Tenant secrets (connector passwords, webhook signing keys…) sealed with the master key ring. */
export interface SecretStore {
  /** `within`: seal it in the caller's transaction (e.g. with the row that references it). */
  put(input: {
    tenantId: string;
    name: string;
    value: string;
    actor: AuditActor;
    requestId?: string;
    within?: Transaction<SecretsDatabase>;
  }): Promise<SecretSummary>;
  reveal(tenantId: string, name: string): Promise<string>;
  list(tenantId: string): Promise<SecretSummary[]>;
  remove(input: {
    tenantId: string;
    name: string;
    actor: AuditActor;
    requestId?: string;
    within?: Transaction<SecretsDatabase>;
  }): Promise<void>;
  /** Re-wraps every data key still under an older master key, in committed batches: stop it any time, run it again to finish. */
  rotate(options?: {
    batchSize?: number;
    actor?: AuditActor;
    /** Added to each tenant's audit entry (the proposal it carries out). Never key material. */
    details?: Record<string, unknown>;
  }): Promise<RotationReport>;
  /** The version new data keys are wrapped with and rotation moves to (the ring's newest). */
  newestMasterKeyVersion(): number;
}

export function createSecretStore(
  db: DbHandle<SecretsDatabase>,
  ring: MasterKeyRing | undefined,
): SecretStore {
  const keys = (): MasterKeyRing => {
    if (!ring) {
      throw new Unavailable(
        'secrets.no_master_key',
        'No master key is configured, so secrets cannot be stored or read. On PostgreSQL every Steward process needs the same STEWARD_MASTER_KEY (32 random bytes, base64: `openssl rand -base64 32`) or STEWARD_MASTER_KEY_FILE.',
      );
    }
    return ring;
  };

  const inTransaction = <T>(
    within: Transaction<SecretsDatabase> | undefined,
    work: (trx: Transaction<SecretsDatabase>) => Promise<T>,
  ): Promise<T> => (within ? work(within) : db.transaction().execute(work));
  return {
    async put({ tenantId, name, value, actor, requestId, within }) {
      assertSecretName(name);
      const sealed = sealSecret(value, { tenantId, name }, keys().newest);
      return inTransaction(within, async (trx) => {
        const row = await trx
          .insertInto('secrets')
          .values({
            tenant_id: tenantId,
            name,
            ciphertext: new Uint8Array(sealed.ciphertext),
            wrapped_key: new Uint8Array(sealed.wrappedKey),
            master_key_version: sealed.masterKeyVersion,
          })
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({
              ciphertext: eb.ref('excluded.ciphertext'),
              wrapped_key: eb.ref('excluded.wrapped_key'),
              master_key_version: eb.ref('excluded.master_key_version'),
              version: eb(eb.ref('secrets.version'), '+', 1),
              updated_at: new Date(),
            })),
          )
          .returning(['name', 'version', 'master_key_version', 'created_at', 'updated_at'])
          .executeTakeFirstOrThrow();
        await recordAuditEvent(trx, {
          tenantId,
          actor,
          action: 'secrets.secret.written',
          object: { type: 'secret', id: name },
          outcome: 'success',
          details: { version: row.version, masterKeyVersion: row.master_key_version },
          ...(requestId ? { requestId } : {}),
        });
        return toSummary(row);
      });
    },

    async reveal(tenantId, name) {
      const row = await db
        .selectFrom('secrets')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (!row)
        throw new NotFound(
          'secrets.not_found',
          `No secret ${name} in tenant ${tenantId}. Store it with \`steward secrets set ${name}${tenantId === 'default' ? '' : ` --tenant ${tenantId}`}\` (the value on standard input) or PUT /v1/secrets/${name}.`,
          { name },
        );
      return openSecret(sealedOf(row), { tenantId, name }, keys());
    },

    async list(tenantId) {
      const rows = await db
        .selectFrom('secrets')
        .select(['name', 'version', 'master_key_version', 'created_at', 'updated_at'])
        .where('tenant_id', '=', tenantId)
        .orderBy('name')
        .execute();
      return rows.map(toSummary);
    },

    async remove({ tenantId, name, actor, requestId, within }) {
      await inTransaction(within, async (trx) => {
        const deleted = await trx
          .deleteFrom('secrets')
          .where('tenant_id', '=', tenantId)
          .where('name', '=', name)
          .returning('name')
          .executeTakeFirst();
        if (!deleted) throw new NotFound('secrets.not_found', `No secret ${name} in this tenant.`, { name });
        await recordAuditEvent(trx, {
          tenantId,
          actor,
          action: 'secrets.secret.deleted',
          object: { type: 'secret', id: name },
          outcome: 'success',
          ...(requestId ? { requestId } : {}),
        });
      });
    },

    newestMasterKeyVersion() {
      return keys().newest.version;
    },

    async rotate({ batchSize = 100, actor = SYSTEM_ROTATION, details = {} } = {}) {
      const ring = keys();
      const target = ring.newest;
      const report: RotationReport = { toVersion: target.version, rewrapped: 0, byTenant: {} };
      for (;;) {
        const done = await db.transaction().execute(async (trx) => {
          // SKIP LOCKED lets two rotations run at once without blocking or re-wrapping the same row.
          const rows = await trx
            .selectFrom('secrets')
            .select(['tenant_id', 'name', 'ciphertext', 'wrapped_key', 'master_key_version'])
            .where('master_key_version', '<>', target.version)
            .orderBy('tenant_id')
            .orderBy('name')
            .limit(batchSize)
            .forUpdate()
            .skipLocked()
            .execute();
          const perTenant: Record<string, number> = {};
          for (const row of rows) {
            const binding = { tenantId: row.tenant_id, name: row.name };
            const rewrapped = rewrapSecret(sealedOf(row), binding, ring, target);
            await trx
              .updateTable('secrets')
              .set({
                wrapped_key: new Uint8Array(rewrapped.wrappedKey),
                master_key_version: rewrapped.masterKeyVersion,
              })
              .where('tenant_id', '=', row.tenant_id)
              .where('name', '=', row.name)
              .execute();
            perTenant[row.tenant_id] = (perTenant[row.tenant_id] ?? 0) + 1;
          }
          for (const [tenantId, count] of Object.entries(perTenant)) {
            await recordAuditEvent(trx, {
              tenantId,
              actor,
              action: 'secrets.master_key.rotated',
              object: { type: 'master_key', id: String(target.version) },
              outcome: 'success',
              details: { ...details, rewrapped: count, toVersion: target.version },
            });
            report.byTenant[tenantId] = (report.byTenant[tenantId] ?? 0) + count;
            report.rewrapped += count;
          }
          return rows.length < batchSize;
        });
        if (done) return report;
      }
    },
  };
}

export function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new InvalidInput(
      'secrets.bad_name',
      `"${name}" is not a secret name. Use letters, digits, dot, dash and underscore (at most 128).`,
      { name },
    );
  }
}

function sealedOf(row: {
  ciphertext: Uint8Array;
  wrapped_key: Uint8Array;
  master_key_version: number;
}): SealedSecret {
  return {
    ciphertext: Buffer.from(row.ciphertext),
    wrappedKey: Buffer.from(row.wrapped_key),
    masterKeyVersion: row.master_key_version,
  };
}

function toSummary(row: {
  name: string;
  version: number;
  master_key_version: number;
  created_at: Date;
  updated_at: Date;
}): SecretSummary {
  return {
    name: row.name,
    version: row.version,
    masterKeyVersion: row.master_key_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
