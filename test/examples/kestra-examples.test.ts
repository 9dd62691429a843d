import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'kestra');
const OPENAPI = join(import.meta.dirname, '..', '..', 'packages', 'sdk', 'openapi.json');

interface KestraTask {
  id: string;
  type: string;
  uri?: string;
  method?: string;
  tasks?: KestraTask[];
}

function requestTasks(tasks: KestraTask[]): KestraTask[] {
  return tasks.flatMap((task) => [
    ...(task.type === 'io.kestra.plugin.core.http.Request' ? [task] : []),
    ...requestTasks(task.tasks ?? []),
  ]);
}

/** `{{ secret('STEWARD_URL') }}/v1/retention/runs/{{ … }}` → `/v1/retention/runs/{}`. */
function apiPathOf(uri: string): string {
  return uri.replace(/^\{\{\s*secret\('STEWARD_URL'\)\s*\}\}/, '').replace(/\{\{.*?\}\}/g, '{}');
}

test('the example Kestra flows call operations that exist in the committed OpenAPI document, with a Steward API key', () => {
  const document = JSON.parse(readFileSync(OPENAPI, 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
  );
  const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'));
  assert.deepEqual(files.sort(), ['steward-access-request.yaml', 'steward-retention-run.yaml']);
  for (const file of files) {
    const flow = parse(readFileSync(join(EXAMPLES, file), 'utf8')) as {
      id: string;
      namespace: string;
      tasks: KestraTask[];
      triggers?: { id: string; type: string }[];
    };
    assert.ok(flow.id && flow.namespace, `${file}: a Kestra flow has an id and a namespace`);
    const calls = requestTasks(flow.tasks);
    assert.ok(calls.length > 0, `${file} calls Steward`);
    for (const call of calls) {
      const operation = `${call.method} ${apiPathOf(call.uri!)}`;
      assert.ok(
        operations.includes(operation),
        `${file} ${call.id}: ${operation} is not an operation of Steward's API`,
      );
      assert.equal(
        (call as { headers?: Record<string, string> }).headers?.Authorization,
        "Bearer {{ secret('STEWARD_API_KEY') }}",
      );
    }
    for (const trigger of flow.triggers ?? [])
      assert.ok(trigger.id && trigger.type.startsWith('io.kestra.'), file);
  }
});
