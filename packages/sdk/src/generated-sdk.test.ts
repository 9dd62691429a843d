import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';
import { generatedFiles, stewardOpenApiDocument } from '../scripts/generate-sdk.ts';

test("the committed OpenAPI document and the SDK's types are what the app produces now (else: npm run sdk)", async () => {
  const database = await createPostgresDatabase('steward_sdk');
  try {
    const document = await stewardOpenApiDocument(database.url);
    for (const [path, expected] of Object.entries(await generatedFiles(document))) {
      assert.ok(
        readFileSync(path, 'utf8') === expected,
        `${relative(process.cwd(), path)} is out of date: an API route or schema changed. Run \`npm run sdk\` and review the diff.`,
      );
    }
  } finally {
    await database.drop();
  }
});
