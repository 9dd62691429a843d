import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApiKey } from '../../platform/auth/api-keys.ts';
import { permissionsOfRoles } from '../../platform/auth/roles.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { AuthDatabase } from '../../platform/auth/store/auth-database.ts';
import { DEFAULT_TENANT_ID } from '../../kernel/database/core-tables.ts';

export interface DemoOwnerKey {
  /** The key itself; the demo keeps it in `file` (0600) so a newcomer who missed it can read it again. */
  token: string;
  file: string;
  issuedNow: boolean;
}

const DEMO_ACTOR = { kind: 'system' as const, id: 'steward-demo' };

/**
 * A newcomer running `npm start` needs a way into the API, so the demo issues one owner API key for the default tenant on its first start — only while that
 * tenant has no API key at all, so an installation someone has set up is never given one.
 */
export async function ensureDemoOwnerKey(
  db: DbHandle<AuthDatabase>,
  demoDataDir: string,
): Promise<DemoOwnerKey | undefined> {
  const file = join(resolve(demoDataDir), 'owner-key');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file, issuedNow: false };
  const existing = await db
    .selectFrom('api_keys')
    .select('id')
    .where('tenant_id', '=', DEFAULT_TENANT_ID)
    .limit(1)
    .executeTakeFirst();
  if (existing) return undefined;
  const issued = await createApiKey(db, {
    tenantId: DEFAULT_TENANT_ID,
    name: 'demo owner key',
    permissions: [...permissionsOfRoles(['owner'])],
    expiresAt: new Date(Date.now() + 90 * 24 * 3600 * 1000),
    actor: DEMO_ACTOR,
  });
  mkdirSync(resolve(demoDataDir), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${issued.token}\n`, { mode: 0o600 });
  return { token: issued.token, file, issuedNow: true };
}
