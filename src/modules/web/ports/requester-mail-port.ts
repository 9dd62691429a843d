/**
 * How the privacy center mails a person and keys their address, the way request intake does (the
 * DSR module's mail channel and lookup key, bound by src/workflows/requests-for-web.ts).
 */
export interface RequesterMailPort {
  /** Sends a plain-text mail; a refusal is an Unavailable error that quotes no address. */
  send(mail: { tenantId: string; to: string; subject: string; text: string }): Promise<void>;
  /** A keyed hash of a normalised value, scoped by tenant and `namespace`: stored instead of the value. */
  keyedHash(tenantId: string, namespace: string, normalisedValue: string): string;
}
