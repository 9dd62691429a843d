import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { operationIdOf } from '../kernel/http/openapi-conventions.ts';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  description?: string;
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
interface Document {
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string; in?: string }>;
    responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('the OpenAPI document clients are generated from', () => {
  let t: TestApp;
  let document: Document;
  let operations: { method: string; path: string; operation: Operation }[];

  before(async () => {
    t = await startTestApp();
    document = (await t.app.inject({ url: '/openapi.json' })).json();
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method, path, operation })),
    );
  });
  after(() => t.close());

  test('every operation has its own camelCase operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    assert.ok(
      ids.every((id) => id && /^[a-z][A-Za-z0-9]+$/.test(id)),
      ids.join(', '),
    );
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    assert.deepEqual(repeated, []);
    assert.equal(document.paths['/v1/requests/{id}/approve']?.post?.operationId, 'approveRequest');
    assert.equal(document.paths['/v1/requests']?.post?.operationId, 'submitRequest');
  });

  test('every tag an operation uses is described once, at the top', () => {
    const described = new Map(document.tags.map((tag) => [tag.name, tag.description]));
    const undescribed = operations
      .flatMap(({ operation }) => operation.tags ?? [])
      .filter((tag) => !described.get(tag));
    assert.deepEqual([...new Set(undescribed)], [], 'describe these in src/app/openapi-options.ts');
    assert.ok(
      operations.every(({ operation }) => operation.tags?.length),
      'every operation has a tag',
    );
  });

  test('a route that needs a permission takes an API key or a session and says which permission; a public route needs nothing', () => {
    assert.deepEqual(document.components.securitySchemes.apiKey, {
      ...document.components.securitySchemes.apiKey,
      type: 'http',
      scheme: 'bearer',
    });
    assert.equal(document.components.securitySchemes.session?.in, 'cookie');
    const approve = document.paths['/v1/requests/{id}/approve']!.post!;
    assert.deepEqual(approve.security, [{ apiKey: [] }, { session: [] }]);
    assert.match(approve.description ?? '', /`dsr:approve` \(roles: owner, admin, privacy_officer\)/);
    assert.ok(approve.responses['401'] && approve.responses['403']);
    for (const [path, method] of [
      ['/v1/requests/{id}/verify', 'post'],
      ['/healthz', 'get'],
    ] as const) {
      const open = document.paths[path]![method]!;
      assert.deepEqual(open.security, [], `${path} is public`);
      assert.equal(open.responses['403'], undefined);
    }
  });

  test('every error answer is documented as problem details, next to the success answers routes declare', () => {
    for (const { method, path, operation } of operations) {
      const errors = Object.keys(operation.responses).filter((status) => status >= '400');
      assert.ok(errors.includes('400') && errors.includes('500'), `${method} ${path}: ${errors}`);
      for (const status of errors) {
        const response = operation.responses[status]!;
        if (!response.$ref) continue; // a route's own report for that status (consent import's 422)
        const name = response.$ref.replace('#/components/responses/', '');
        assert.deepEqual(Object.keys(document.components.responses[name]!.content), [
          'application/problem+json',
        ]);
      }
    }
    assert.ok(document.paths['/v1/requests/{id}']!.get!.responses['404']);
    assert.equal(
      document.paths['/v1/requests']!.get!.responses['404'],
      undefined,
      'no path parameter, no 404',
    );
  });

  test('servers do not depend on the address this server listens on', () => {
    assert.deepEqual(
      document.servers.map((server) => server.url),
      ['/', '{origin}'],
    );
  });

  test('/docs offers the Authorize button for an API key', async () => {
    // Swagger UI shows Authorize for the security schemes of the document it loads (/docs/json).
    const loaded = (await t.app.inject({ url: '/docs/json' })).json() as Document;
    assert.deepEqual(Object.keys(loaded.components.securitySchemes).sort(), ['apiKey', 'session']);
    const initializer = await t.app.inject({ url: '/docs/static/swagger-initializer.js' });
    assert.match(initializer.body, /"persistAuthorization":true/);
  });
});

test('operationIds derived from method and path read as what the operation does', () => {
  assert.deepEqual(
    [
      operationIdOf('get', '/v1/requests'),
      operationIdOf('get', '/v1/requests/:id'),
      operationIdOf('post', '/v1/governance/breaches'),
      operationIdOf('post', '/v1/requests/:id/approve'),
      operationIdOf('post', '/v1/retention/rules/:system/:collection/dry-run'),
      operationIdOf('put', '/v1/users/:userId/roles'),
      operationIdOf('patch', '/v1/webhooks/:id'),
      operationIdOf('delete', '/v1/governance/processors/:id'),
      operationIdOf('get', '/v1/consent/notices/:key/versions'),
    ],
    [
      'listRequests',
      'getRequest',
      'createGovernanceBreach',
      'approveRequest',
      'dryRunRetentionRule',
      'replaceUserRoles',
      'updateWebhook',
      'deleteGovernanceProcessor',
      'listConsentNoticeVersions',
    ],
  );
});
