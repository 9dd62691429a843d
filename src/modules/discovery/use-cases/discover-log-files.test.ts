import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  aRotatedApiLogDirectory,
  apiLogsDataMapYaml,
  filesSystemOf,
} from '../../../../test/fixtures/discovery/log-directory.ts';
import { findDrift } from '../core/drift.ts';
import { discoverLogFiles } from './discover-log-files.ts';

test('discovery over a log directory reports which PII types appear in which fields, and logs no collection declares', async () => {
  const logs = aRotatedApiLogDirectory();
  try {
    writeFileSync(
      join(logs.directory, 'worker.log'),
      '2026-03-01T08:00:00Z job 7 sent receipt to dave@example.com from 192.0.2.10\n2026-03-01T08:00:01Z job 8 idle\n',
    );
    const system = filesSystemOf(apiLogsDataMapYaml(logs.directory));
    const result = await discoverLogFiles(system, { sampleSize: 100 });
    const api = result.collections.find((c) => c.name === 'api')!;
    assert.deepEqual(
      api.columns.filter((c) => c.categories.length).map((c) => [c.field, c.categories[0]]),
      [
        ['user.email', 'user.contact.email'],
        ['user.ip', 'user.device.ip_address'],
      ],
    );
    const worker = result.collections.find((c) => c.name === 'worker')!;
    assert.deepEqual(worker.files, { glob: 'worker*', format: 'text' });
    assert.deepEqual(
      worker.columns.map((c) => [c.field, c.categories[0], c.evidence[0]]),
      [
        ['pii:email', 'user.contact.email', { signal: 'text', detector: 'email', matched: 1, sampled: 2 }],
        [
          'pii:ip_address',
          'user.device.ip_address',
          { signal: 'text', detector: 'ip_address', matched: 1, sampled: 2 },
        ],
      ],
    );
    assert.doesNotMatch(JSON.stringify(result), /@example|192\.0\.2/);
    // The undeclared log becomes a proposed collection with its glob and format.
    const [finding] = findDrift(system, result);
    assert.equal(finding!.code, 'discovery.undeclared_collection');
    assert.deepEqual(finding!.change.kind === 'add_collection' && finding!.change.collection.files, {
      glob: 'worker*',
      format: 'text',
    });
  } finally {
    logs.remove();
  }
});
