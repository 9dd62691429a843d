// A separate process running one masking run, so a test can kill it mid-copy (SIGKILL: no
// cleanup, like a crash). Arguments: Steward database URL, tenant, run id; the data map system
// arrives as JSON in STEWARD_TEST_MASKING_SYSTEM.
import { testDatabaseConfig } from '../../../../test/support/test-database.ts';
import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import { resolveSecretReference } from '../../../platform/secrets/secret-reference.ts';
import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import type { MaskingTables } from '../store/masking-tables.ts';
import { executeMaskingRun } from '../use-cases/execute-masking-run.ts';
import { redactFreeText } from '../use-cases/free-text-redactor.ts';

const [stewardUrl, tenantId, runId] = process.argv.slice(2) as [string, string, string];
const system = JSON.parse(process.env.STEWARD_TEST_MASKING_SYSTEM!) as DataMapSystem;
const database = await openDatabase<MaskingTables & CoreTables>(testDatabaseConfig('unused', stewardUrl));
const db = database.db;
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
