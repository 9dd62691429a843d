import type { DsrServices } from '../../dsr-services.ts';
import type { IdentityMatchRule } from './subject-identities.ts';

/** How each identity of the tenant's data map compares (`case_insensitive` emails, `e164` phones). */
export function identityRulesOf(
  services: Pick<DsrServices, 'dataMaps'>,
  tenantId: string,
): Record<string, IdentityMatchRule> {
  return Object.fromEntries(
    services.dataMaps
      .forTenant(tenantId)
      .dataMap.identities.map((identity) => [identity.name, identity.match]),
  );
}
