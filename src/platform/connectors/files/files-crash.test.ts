import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import {
  aRotatedApiLogDirectory,
  apiLogsDataMapYaml,
  filesSystemOf,
} from '../../../../test/fixtures/discovery/log-directory.ts';
import { createConnector } from '../create-connector.ts';

const CHILD = fileURLToPath(
  new URL('../../../../test/fixtures/discovery/erase-then-hang.ts', import.meta.url),
);

test('a process killed between writing the rewritten files and renaming them leaves every original intact, and the next erasure completes', async () => {
  const logs = aRotatedApiLogDirectory();
  try {
    const originals = Object.fromEntries(
      Object.keys(logs.files).map((name) => [name, readFileSync(join(logs.directory, name))]),
    );
    const child = fork(CHILD, [logs.directory], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the child exited early (${code})`)));
    });
    const temporaries = readdirSync(logs.directory).filter((name) => name.endsWith('.tmp'));
    assert.equal(temporaries.length, 3, 'the rewrite was written: one temporary file per changed file');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    for (const [name, bytes] of Object.entries(originals))
      assert.deepEqual(readFileSync(join(logs.directory, name)), bytes, `${name} is intact`);

    // The next transaction clears the dead process's leftovers (its lock and temporaries) and runs.
    const connector = createConnector(filesSystemOf(apiLogsDataMapYaml(logs.directory)));
    const matched = await connector.transaction((tx) =>
      tx.delete({
        target: { name: 'api', primaryKey: [] },
        where: { kind: 'in', columns: ['user.email'], tuples: [['ann@example.com']], lowercase: true },
      }),
    );
    assert.equal(matched, 3);
    assert.deepEqual(readdirSync(logs.directory).sort(), Object.keys(logs.files).sort());
  } finally {
    logs.remove();
  }
});
