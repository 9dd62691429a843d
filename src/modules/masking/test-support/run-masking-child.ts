// A separate process running one masking run, so a test can kill it mid-copy (SIGKILL: no
// cleanup, like a crash). Arguments: Steward database URL, tenant, run id; the data map system
// arrives as JSON in STEWARD_TEST_MASKING_SYSTEM.
import type { Kysely } from 'kysely';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import { resolveSecretReference } from '../../../platform/secrets/secret-reference.ts';
import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import type { MaskingDb } from '../store/masking-run-store.ts';
import { executeMaskingRun } from '../use-cases/execute-masking-run.ts';
import { redactFreeText } from '../use-cases/free-text-redactor.ts';

const [stewardUrl, tenantId, runId] = process.argv.slice(2) as [string, string, string];
const system = JSON.parse(process.env.STEWARD_TEST_MASKING_SYSTEM!) as DataMapSystem;
const database = await openDatabase({
  url: stewardUrl,
  dataDir: 'unused',
  poolSize: 3,
  connectAttempts: 1,
  statementTimeoutMs: 30_000,
});
const db = database.db as unknown as Kysely<unknown> as unknown as MaskingDb;
await executeMaskingRun(
  {
    db,
    system: () => system,
    resolveSecret: async (reference) => resolveSecretReference(reference),
    redactText: redactFreeText,
  },
  tenantId,
  runId,
  { owner: `child:${process.pid}` },
);
await database.close();
