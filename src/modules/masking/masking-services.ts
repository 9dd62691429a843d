import type { Kysely } from 'kysely';
import type { CoreTables } from '../../kernel/database/core-tables.ts';
import { NotFound } from '../../kernel/errors/domain-error.ts';
import { recordAuditEvent } from '../../platform/audit/record-audit-event.ts';
import type { AuditDatabase } from '../../platform/audit/store/audit-database.ts';
import type { DataMapRegistry } from '../../platform/datamap/datamap-types.ts';
import type { MaskingTables } from './store/masking-tables.ts';
import { redactFreeText } from './use-cases/free-text-redactor.ts';
import type { MaskingDeps, MaskingProgress } from './use-cases/masking-deps.ts';
import { didYouMean } from '../../kernel/errors/did-you-mean.ts';

/** The part of the app's services the masking module's adapters (routes, jobs, commands) use. */
export interface MaskingServices {
  database: { db: Kysely<MaskingTables & CoreTables & AuditDatabase> };
  jobs: {
    enqueue(queue: string, payload: object, options?: { idempotencyKey?: string }): Promise<string | null>;
  };
  dataMaps: DataMapRegistry;
  secrets: { resolve(reference: string, tenantId: string): Promise<string> };
}

/**
 * The masking use cases' dependencies taken from the app's services: its own tables, the tenant's
 * data map systems, the secret resolver, Steward's PII detector for free text, and the audit log
 * (one event when a run starts, one when it ends).
 */
export function maskingDepsFrom(
  services: MaskingServices,
  onProgress?: (progress: MaskingProgress) => void,
): MaskingDeps {
  const db = services.database.db;
  return {
    db,
    system(tenantId, systemId) {
      const system = services.dataMaps.forTenant(tenantId).system(systemId);
      if (!system) {
        const known = services.dataMaps.forTenant(tenantId).dataMap.systems.map((s) => s.id);
        // An empty data map is what a newcomer trying the README on the demo has without --demo.
        const hint = known.length
          ? didYouMean(systemId, known)
          : ' It declares no system at all (the demo shop is added by --demo).';
        throw new NotFound(
          'masking.unknown_system',
          `System ${systemId} is not in the data map of tenant ${tenantId}.${hint}`,
          { system: systemId },
        );
      }
      return system;
    },
    resolveSecret: (reference, tenantId) => services.secrets.resolve(reference, tenantId),
    redactText: redactFreeText,
    async recordAudit(event) {
      await recordAuditEvent(db, {
        tenantId: event.tenantId,
        actor: event.actor,
        action: event.action,
        object: { type: 'masking_run', id: event.runId },
        outcome: event.action === 'masking.run.failed' ? 'failure' : 'success',
        details: event.details,
      });
    },
    ...(onProgress ? { onProgress } : {}),
  };
}
