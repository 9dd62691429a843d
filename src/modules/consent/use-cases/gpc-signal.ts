import type { ConsentServices } from '../consent-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { CCPA_PURPOSES } from '../core/consent-purposes.ts';
import type { ProofInput } from './consent-proof.ts';
import { recordConsentChanges, type LedgerEntry } from './record-consent.ts';

/** The date `/.well-known/gpc.json` reports; change it when GPC handling changes. */
export const GPC_SUPPORT_UPDATED = '2026-11-29';

/** Global Privacy Control (https://privacycg.github.io/gpc-spec/): the browser sends `Sec-GPC: 1`. */
export function hasGpcSignal(headers: Record<string, string | string[] | undefined>): boolean {
  const value = headers['sec-gpc'];
  return (Array.isArray(value) ? value[0] : value)?.trim() === '1';
}

/**
 * Records a GPC signal as the subject's opt-out of the sale and sharing of their personal
 * information (Cal. Code Regs. tit. 11 §7025: a GPC signal is a valid request to opt out). Only the
 * first signal writes: while the subject is opted out, later signals change nothing. Privacy-center
 * routes call this for every request that identifies a subject and carries `Sec-GPC: 1`.
 */
export async function recordGpcOptOut(
  services: ConsentServices,
  actor: ChangeActor,
  subject: string,
  proof?: ProofInput,
): Promise<LedgerEntry | undefined> {
  const current = await services.database.db
    .selectFrom('consent_state')
    .select('status')
    .where('tenant_id', '=', actor.tenantId)
    .where('subject', '=', subject)
    .where('purpose', '=', CCPA_PURPOSES.saleAndSharing)
    .executeTakeFirst();
  if (current?.status === 'withdrawn') return undefined;
  const [entry] = await recordConsentChanges(services, actor, [
    {
      subject,
      purpose: CCPA_PURPOSES.saleAndSharing,
      action: 'withdrawn',
      source: 'gpc',
      ...(proof ? { proof } : {}),
    },
  ]);
  return entry;
}

/**
 * A privacy-center form sent with `Sec-GPC: 1`: records the opt-out of sale and sharing under each
 * identity value the person gave (already normalised: emails lower-cased), since services may name
 * the same person as a consent subject by any of them. An opt-out needs no identity verification
 * (CCPA Regulations §7026), so it is recorded at intake, before the request is verified.
 */
export async function recordGpcOptOutForIdentities(
  services: ConsentServices,
  actor: ChangeActor,
  identities: Record<string, string>,
  proof?: ProofInput,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const subject of new Set(Object.values(identities))) {
    const entry = await recordGpcOptOut(services, actor, subject, proof);
    if (entry) entries.push(entry);
  }
  return entries;
}
