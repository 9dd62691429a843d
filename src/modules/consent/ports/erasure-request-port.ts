/**
 * What the consent module needs from whatever runs erasures (the DSR module, bound by
 * src/workflows/withdrawal-erasure.ts): a withdrawal (GDPR Art. 17(1)(b)) opens an erasure request
 * limited to the fields processed only under that consent.
 */
export interface ErasureRequestPort {
  openErasure(input: {
    tenantId: string;
    actor: { kind: 'system'; id: string };
    identities: Record<string, string>;
    /** Where notices about the request go (the privacy team, by `consent.withdrawalErasure.contactEmail`). */
    contactEmail: string | undefined;
    scope: { systems: string[]; fields: { system: string; collection: string; field: string }[] };
  }): Promise<{ requestId: string }>;
}
