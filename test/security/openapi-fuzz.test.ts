import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import {
  invalidRequestOf,
  operationsOf,
  resolverOf,
  validRequestOf,
  type ApiOperation,
  type GeneratedRequest,
} from '../support/openapi-operations.ts';
import { startUnthrottledTestApp, type TestApp } from '../support/test-app.ts';
import {
  aYamlAliasBomb,
  hostileRequestOf,
  hostilitiesOf,
  makeHostile,
  type HostileRequest,
} from '../support/hostile-input.ts';

/**
 * Requests generated from the API's own OpenAPI document, valid and invalid, from every kind of
 * caller: none may make Steward fail (5xx), and every answer must match the schema the document
 * declares for its status (or the one error body of the API).
 */
const REQUESTS = 10_000;
const SEED = Number(process.env.STEWARD_FUZZ_SEED ?? 20261129);

/** RFC 9457 problem details with Steward's `code`, the one error body of the API. */
const errorBodySchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', pattern: '^https://steward\\.dev/problems/[a-z-]+$' },
    title: { type: 'string', minLength: 1 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', minLength: 1 },
    instance: { type: 'string', minLength: 1 },
    code: { type: 'string', pattern: '^[a-z][a-z0-9_.-]*$' },
    details: { type: 'object' },
  },
};

interface Caller {
  name: string;
  headers: Record<string, string>;
}

describe('requests generated from the OpenAPI document', () => {
  let t: TestApp;
  let operations: ApiOperation[];
  let resolve: ReturnType<typeof resolverOf>;
  let callers: Caller[];
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();

  before(async () => {
    t = await startUnthrottledTestApp();
    const document = (await t.app.inject({ url: '/openapi.json' })).json();
    operations = operationsOf(document);
    resolve = resolverOf(document);
    if (document.components?.schemas) ajv.addSchema({ $id: 'components', components: document.components });
    callers = [
      { name: 'owner', headers: await t.headers('owner') },
      { name: 'admin', headers: await t.headers('admin') },
      { name: 'privacy_officer', headers: await t.headers('privacy_officer') },
      { name: 'request_agent', headers: await t.headers('request_agent') },
      { name: 'auditor', headers: await t.headers('auditor') },
      { name: 'developer', headers: await t.headers('developer') },
      { name: 'owner of another tenant', headers: await t.headers('owner', 'fuzz-other') },
      { name: 'nobody', headers: {} },
      { name: 'unknown key', headers: { authorization: `Bearer stw_${'x'.repeat(43)}` } },
      { name: 'malformed credentials', headers: { authorization: 'Basic c3Rld2FyZDpwYXNzd29yZA==' } },
      { name: 'forged session cookie', headers: { cookie: '__Host-steward_session=abc.def' } },
      {
        name: 'owner naming a foreign tenant',
        headers: { ...(await t.headers('owner')), 'x-steward-tenant': 'fuzz-other' },
      },
    ];
  });
  after(async () => {
    await t.close();
  });

  function validatorFor(
    operation: ApiOperation,
    status: number,
  ): { name: string; validate: ValidateFunction } {
    const declared = [String(status), `${String(status)[0]}XX`, 'default'].find(
      (key) => operation.responses[key] !== undefined,
    );
    const key = declared ? `${operation.method} ${operation.path} ${declared}` : 'error body';
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(
        declared ? (rewriteRefs(operation.responses[declared]) as object) : errorBodySchema,
      );
      validators.set(key, validate);
    }
    return { name: key, validate };
  }

  test(`${REQUESTS} generated requests: no 5xx, every response matches its schema`, async (context) => {
    const statuses = new Map<number, number>();
    const timeByOperation = new Map<string, [number, number]>();
    let sent = 0;
    // One arbitrary per operation, built once: building them (regexes included) costs more than the requests.
    const perOperation = operations.map((operation) => {
      // NUL characters, 10,000-level bodies and YAML alias bombs (issue 12) where the operation takes input.
      const hostile = hostileRequestOf(operation, resolve);
      return fc.tuple(
        fc.constant(operation),
        fc.oneof(
          { weight: 3, arbitrary: validRequestOf(operation, resolve) as fc.Arbitrary<GeneratedRequest> },
          { weight: 2, arbitrary: invalidRequestOf(operation, resolve) },
          ...(hostile ? [{ weight: 1, arbitrary: hostile as fc.Arbitrary<GeneratedRequest> }] : []),
        ),
        fc.constantFrom(...callers),
        fc.constantFrom('json', 'json', 'json', 'broken-json', 'form'),
      );
    });
    const requests = fc.oneof(...perOperation);

    await fc.assert(
      fc.asyncProperty(requests, async ([operation, generated, caller, encoding]) => {
        sent += 1;
        const started = performance.now();
        const response = await t.app.inject(injectionOf(generated, caller, encoding));
        const spent = timeByOperation.get(`${operation.method} ${operation.path}`) ?? [0, 0];
        timeByOperation.set(`${operation.method} ${operation.path}`, [
          spent[0] + performance.now() - started,
          spent[1] + 1,
        ]);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const where = `${caller.name}: ${generated.method} ${generated.url} (${encoding}) → ${response.statusCode} ${response.body.slice(0, 300)}`;
        assert.ok(response.statusCode < 500, where);
        if (response.statusCode >= 300 && response.statusCode < 400) return;
        const contentType = String(response.headers['content-type'] ?? '');
        // Errors are problem details, unless the route documents a JSON report of its own for the status.
        if (
          response.statusCode >= 400 &&
          operation.responseMediaTypes[String(response.statusCode)] !== 'application/json'
        )
          assert.match(contentType, /^application\/problem\+json/, `${where}: errors are problem details`);
        if (!/^application\/(problem\+)?json/.test(contentType)) {
          const documented = operation.documentedMediaTypes[String(response.statusCode)] ?? [];
          assert.ok(
            response.statusCode === 204 ||
              operation.responses[String(response.statusCode)] === undefined ||
              documented.some((type) => contentType.startsWith(type)),
            `${where}: expected a JSON body, or ${contentType} documented for the status`,
          );
          return;
        }
        const declared = [String(response.statusCode), `${String(response.statusCode)[0]}XX`, 'default'].some(
          (key) => operation.responses[key] !== undefined,
        );
        // Errors share the API's one error body; any other answer must be documented by its route.
        assert.ok(
          declared || response.statusCode >= 400,
          `${where}\n${operation.method} ${operation.path} declares no response schema for ${response.statusCode}: add it to the route's schema.response`,
        );
        const { name, validate } = validatorFor(operation, response.statusCode);
        assert.ok(
          validate(response.json()),
          `${where}\ndoes not match ${name}: ${ajv.errorsText(validate.errors)}`,
        );
      }),
      { numRuns: REQUESTS, seed: SEED, endOnFailure: true },
    );

    assert.equal(sent, REQUESTS);
    const ok = [...statuses].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
    context.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    const slowest = [...timeByOperation].sort((a, b) => b[1][0] - a[1][0]).slice(0, 5);
    context.diagnostic(
      `most time: ${slowest.map(([op, [ms, n]]) => `${op} ${Math.round(ms)} ms/${n}`).join('; ')}`,
    );
    assert.ok(
      ok > REQUESTS * 0.05,
      `only ${ok} requests succeeded: the generator hardly reaches the handlers`,
    );
  });
});

describe('hostile input on every operation (issue 12, item 6)', () => {
  let t: TestApp;
  let operations: ApiOperation[];
  let resolve: ReturnType<typeof resolverOf>;
  let owner: Caller;

  before(async () => {
    t = await startUnthrottledTestApp();
    const document = (await t.app.inject({ url: '/openapi.json' })).json();
    operations = operationsOf(document);
    resolve = resolverOf(document);
    owner = { name: 'owner', headers: await t.headers('owner') };
  });
  after(async () => {
    await t.close();
  });

  test('a NUL character anywhere and a body nested 10,000 levels are refused with 400 and the reason, on every operation', async () => {
    let checked = 0;
    for (const operation of operations) {
      const [valid] = fc.sample(validRequestOf(operation, resolve), { numRuns: 1, seed: SEED });
      for (const hostility of hostilitiesOf(operation)) {
        if (hostility === 'yaml-bomb-in-body') continue;
        const request = makeHostile(operation, valid!, hostility);
        const response = await t.app.inject(injectionOf(request, owner, 'json'));
        const where = `${hostility}: ${operation.method} ${operation.path} → ${response.statusCode} ${response.body.slice(0, 300)}`;
        assert.equal(response.statusCode, 400, where);
        assert.equal(
          response.json().code,
          hostility === 'deep-body' ? 'request.too_deep' : 'request.nul_character',
          where,
        );
        checked += 1;
      }
    }
    assert.ok(checked > operations.length, `only ${checked} hostile requests were made`);
  });

  test('a data map that is an alias bomb or nested 10,000 levels is a validation finding, not a failure', async () => {
    const deep = `tenant: default\nsystems: ${'{a: '.repeat(10_000)}x${'}'.repeat(10_000)}\n`;
    for (const [manifest, code] of [
      [aYamlAliasBomb(), 'datamap.yaml_aliases'],
      [deep, 'datamap.too_deep'],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/datamap/validate',
        headers: owner.headers,
        payload: { name: 'hostile.yaml', manifest },
      });
      assert.equal(response.statusCode, 200, response.body.slice(0, 300));
      assert.equal(response.json().valid, false);
      assert.deepEqual(
        response.json().problems.map((p: { code: string }) => p.code),
        [code],
      );
    }
  });
});

function injectionOf(generated: GeneratedRequest, caller: Caller, encoding: string) {
  const base = {
    method: generated.method as 'GET',
    url: generated.url,
    headers: { ...caller.headers } as Record<string, string>,
  };
  const raw = (generated as Partial<HostileRequest>).rawJson;
  if (raw !== undefined)
    return { ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: raw };
  if (!('payload' in generated)) return base;
  if (encoding === 'broken-json')
    return {
      ...base,
      headers: { ...base.headers, 'content-type': 'application/json' },
      payload: `${JSON.stringify(generated.payload)}}`,
    };
  if (encoding === 'form')
    return {
      ...base,
      headers: { ...base.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1&b=2',
    };
  return {
    ...base,
    headers: { ...base.headers, 'content-type': 'application/json' },
    payload: JSON.stringify(generated.payload ?? null),
  };
}

/** Points the document's `#/components/...` references at the schema registered as `components`. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `components${value}`
        : rewriteRefs(value),
    ]),
  );
}
