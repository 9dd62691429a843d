import { createHmac, randomBytes } from 'node:crypto';
import type { ConsentDatabase } from '../store/consent-database.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

/** Where a consent was captured; kept only as keyed hashes (GDPR Art. 5(1)(c), 7(1)). */
export interface ProofInput {
  ipAddress?: string | undefined;
  userAgent?: string | undefined;
}

export interface Proof {
  ipHash?: string;
  userAgentHash?: string;
}

/**
 * HMAC-SHA256 of the IP address and user agent. Keyed, so the hashes prove "the same browser" when
 * compared with a value presented later, yet cannot be reversed by trying all 2^32 IPv4 addresses
 * without the key.
 */
export function hashProof(key: string, input: ProofInput): Proof | null {
  const proof: Proof = {};
  if (input.ipAddress)
    proof.ipHash = createHmac('sha256', key).update(`ip:${input.ipAddress}`).digest('base64url');
  if (input.userAgent)
    proof.userAgentHash = createHmac('sha256', key).update(`ua:${input.userAgent}`).digest('base64url');
  return proof.ipHash || proof.userAgentHash ? proof : null;
}

/** Resolves a tenant's proof key: the configured secret, else a random key made once per tenant. */
export type ProofKeySource = (db: DbHandle<ConsentDatabase>, tenantId: string) => Promise<string>;

export function proofKeySource(
  configured: (tenantId: string) => Promise<string> | undefined,
): ProofKeySource {
  const cache = new Map<string, string>();
  return async (db, tenantId) => {
    const cached = cache.get(tenantId);
    if (cached) return cached;
    const fromConfig = configured(tenantId);
    const key = fromConfig ? await fromConfig : await storedKey(db, tenantId);
    cache.set(tenantId, key);
    return key;
  };
}

async function storedKey(db: DbHandle<ConsentDatabase>, tenantId: string): Promise<string> {
  await db
    .insertInto('consent_proof_keys')
    .values({ tenant_id: tenantId, key: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('consent_proof_keys')
    .select('key')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return row.key;
}
