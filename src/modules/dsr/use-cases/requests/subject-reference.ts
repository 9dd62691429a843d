import type { DsrKeyring } from './dsr-keyring.ts';
import type { DbOrTrx } from './request-record.ts';

/** Preference order of the identity that names the subject in the audit log. */
const PREFERRED = ['email', 'user_id', 'phone'];

/**
 * The subject reference the audit log pseudonymises (`email:ana@example.com`), while the request
 * still holds plaintext identities; undefined once they were minimised.
 */
export async function subjectReferenceOf(
  db: DbOrTrx,
  keyring: DsrKeyring,
  tenantId: string,
  requestId: string,
): Promise<string | undefined> {
  const rows = await heldIdentityCiphertexts(db, tenantId, requestId);
  if (rows.length === 0) return undefined;
  const rank = (name: string) => (PREFERRED.includes(name) ? PREFERRED.indexOf(name) : PREFERRED.length);
  const chosen = [...rows].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))[0]!;
  return `${chosen.name}:${keyring.decryptText(chosen.value_ciphertext!, identityContext(requestId, chosen.name))}`;
}

/** The additional authenticated data binding an identity ciphertext to its request and name. */
export function identityContext(requestId: string, name: string): string {
  return `dsr-identity:${requestId}:${name}`;
}

export function contactContext(requestId: string): string {
  return `dsr-contact:${requestId}`;
}

export function correctionsContext(requestId: string): string {
  return `dsr-corrections:${requestId}`;
}

/** The plaintext identities of an open request, for execution. Empty once minimised. */
export async function decryptIdentities(
  db: DbOrTrx,
  keyring: DsrKeyring,
  tenantId: string,
  requestId: string,
): Promise<Record<string, string>> {
  const rows = await heldIdentityCiphertexts(db, tenantId, requestId);
  return Object.fromEntries(
    rows.map((row) => [
      row.name,
      keyring.decryptText(row.value_ciphertext!, identityContext(requestId, row.name)),
    ]),
  );
}

/** The request's identities still held encrypted (minimised ones have no ciphertext), by name. */
function heldIdentityCiphertexts(db: DbOrTrx, tenantId: string, requestId: string) {
  return db
    .selectFrom('dsr_request_identities')
    .select(['name', 'value_ciphertext'])
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .where('value_ciphertext', 'is not', null)
    .orderBy('name')
    .execute();
}
