import type { AppServices } from '../../kernel/http/steward-app.ts';
import { NotFound } from '../../kernel/errors/domain-error.ts';
import { recordAuditEvent } from '../../platform/audit/record-audit-event.ts';
import type { MaskingDb } from './store/masking-run-store.ts';
import { redactFreeText } from './use-cases/free-text-redactor.ts';
import type { MaskingDeps, MaskingProgress } from './use-cases/masking-deps.ts';

/**
 * The masking module's dependencies taken from the app's services: its own tables (the app's
 * handle narrowed to them), the tenant's data map systems, the secret resolver, Steward's PII
 * detector for free text, and the audit log (one event per requested and finished run).
 */
export function maskingDepsFrom(
  services: AppServices,
  onProgress?: (progress: MaskingProgress) => void,
): MaskingDeps {
  // The app's Database type lists every module's tables; this module sees only its own and tenants.
  const db = services.database.db as unknown as MaskingDb;
  return {
    db,
    system(tenantId, systemId) {
      const system = services.dataMaps.forTenant(tenantId).system(systemId);
      if (!system)
        throw new NotFound(
          'masking.unknown_system',
          `System ${systemId} is not in the data map of tenant ${tenantId}.`,
          { system: systemId },
        );
      return system;
    },
    resolveSecret: (reference, tenantId) => services.secrets.resolve(reference, tenantId),
    redactText: redactFreeText,
    async recordAudit(event) {
      await recordAuditEvent(services.database.db, {
        tenantId: event.tenantId,
        actor: event.actor,
        action: event.action,
        object: { type: 'masking_run', id: event.runId },
        outcome: event.action === 'masking.run.failed' ? 'failure' : 'success',
        details: event.details,
      });
    },
    onProgress,
  };
}
