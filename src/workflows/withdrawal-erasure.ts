import type { ErasureRequestPort } from '../modules/consent/api.ts';
import { submitRequest, type DsrServices } from '../modules/dsr/api.ts';

/**
 * GDPR Art. 17(1)(b): the erasure a consent withdrawal calls for, opened in the DSR module —
 * verified by Steward itself (the subject withdrew through a channel that knows them), limited to
 * the fields processed only under that consent, linked beside any erasure of the subject already open.
 */
export function withdrawalErasureRequests(dsr: () => DsrServices): ErasureRequestPort {
  return {
    async openErasure(input) {
      const services = dsr();
      const request = await submitRequest(
        services,
        {
          type: 'erasure',
          identities: input.identities,
          contactEmail: input.contactEmail ?? addressOf(services.config.dsr.from),
          scope: input.scope,
          identityVerified: true,
          onDuplicate: 'link',
        },
        { tenantId: input.tenantId, actor: input.actor, agent: true },
      );
      return { requestId: request.id };
    },
  };
}

/** `Privacy team <privacy@example.com>` → `privacy@example.com`. */
function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}
