import type { StewardSecrets } from '../secrets/steward-secrets.ts';

/** How long a dispatcher keeps a resolved signing secret; a rotation is seen at once (updatedAt changes). */
const KEEP_MS = 5 * 60_000;
const MAX_KEPT = 1_000;

/**
 * Resolves webhooks' signing secrets for delivery, keeping each briefly so a busy dispatcher does
 * not read and decrypt the store for every event. Entries are keyed by the webhook's `updatedAt`,
 * which every change (rotation included) moves, so a rotated secret is never used again. A value
 * that is not a `secret:` reference was written before secrets moved to the store and has not
 * been sealed yet (sealPlaintextWebhookSecrets): it still signs until then.
 */
export function createSigningSecretResolver(secrets: Pick<StewardSecrets, 'resolve'>) {
  const kept = new Map<string, { secret: string; at: number }>();
  return async (webhook: { tenantId: string; secretRef: string; updatedAt: Date }): Promise<string> => {
    if (!webhook.secretRef.startsWith('secret:')) return webhook.secretRef;
    const key = `${webhook.tenantId}\u0000${webhook.secretRef}\u0000${webhook.updatedAt.getTime()}`;
    const now = Date.now();
    const hit = kept.get(key);
    if (hit && now - hit.at < KEEP_MS) return hit.secret;
    const secret = await secrets.resolve(webhook.secretRef, webhook.tenantId);
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(key, { secret, at: now });
    return secret;
  };
}
