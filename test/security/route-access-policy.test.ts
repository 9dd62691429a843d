import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { PERMISSIONS } from '../../src/platform/auth/permissions.ts';
import { ROLE_NAMES, ROLE_PERMISSIONS, isSubsetOf } from '../../src/platform/auth/roles.ts';
import type { RouteAccess } from '../../src/platform/auth/http/request-context.ts';
import {
  operationsOf,
  resolverOf,
  validRequestOf,
  type ApiOperation,
} from '../support/openapi-operations.ts';
import { startUnthrottledTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The access policy, checked for every route the app registers (read from the auth plugin's route
 * table, so routes added later are covered without touching this file), every built-in role and two
 * tenants: who gets in, nobody gets more than their role, and no tenant sees or touches another's data.
 */
const TENANT_A = 'policy-a';
const TENANT_B = 'policy-b';
const TENANTS = [TENANT_A, TENANT_B];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SEED = 20261129;

describe('route × role × tenant access policy', () => {
  let t: TestApp;
  let routes: RouteAccess[];
  let operations: Map<string, ApiOperation>;
  let resolve: ReturnType<typeof resolverOf>;

  before(async () => {
    t = await startUnthrottledTestApp();
    // HEAD mirrors GET; OPTIONS is not routed.
    routes = t.app.routeAccessTable.filter((r) => r.method !== 'HEAD');
    const document = (await t.app.inject({ url: '/openapi.json' })).json();
    resolve = resolverOf(document);
    operations = new Map(operationsOf(document).map((op) => [`${op.method} ${op.path}`, op]));
  });
  after(async () => {
    await t.close();
  });

  const operationOf = (route: RouteAccess) =>
    operations.get(`${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  const placeholderUrl = (route: RouteAccess) => route.url.replace(/:[A-Za-z0-9_]+/g, randomUUID());
  const request = (route: RouteAccess, headers: Record<string, string>) =>
    t.app.inject({
      method: route.method as 'GET',
      url: placeholderUrl(route),
      headers,
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
    });

  test('the route table covers every /v1 operation of the API document, and every route declares its access', () => {
    assert.ok(routes.length >= 10, `only ${routes.length} routes registered`);
    const tabled = new Set(routes.map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`));
    for (const key of operations.keys())
      if (key.split(' ')[1]?.startsWith('/v1/'))
        assert.ok(tabled.has(key), `${key} is served but missing from the access table`);
    for (const route of routes)
      assert.ok(
        route.public !== (route.permission !== undefined),
        `${route.method} ${route.url} must declare exactly one of permission and public`,
      );
  });

  test('the governance, masking and discovery routes are in the table, each behind its own permissions', () => {
    const expected: [string, RegExp][] = [
      ['/v1/governance/', /^governance:(read|write)$/],
      ['/v1/masking/', /^masking:(read|run)$/],
      ['/v1/discovery/', /^datamap:(read|write)$/],
    ];
    for (const [prefix, permission] of expected) {
      const mine = routes.filter((r) => r.url.startsWith(prefix));
      assert.ok(mine.length >= 3, `${prefix} routes are missing from the access table`);
      for (const route of mine)
        assert.match(String(route.permission), permission, `${route.method} ${route.url}`);
    }
  });

  test('without credentials only routes declared public answer', async () => {
    for (const route of routes) {
      const response = await request(route, {});
      if (route.public) {
        // A public route may ask a data subject to prove their address (its own challenge), never for an API credential.
        assert.ok(
          response.statusCode !== 401 || !/^Bearer/.test(String(response.headers['www-authenticate'])),
          `${route.method} ${route.url} is public but asked for credentials`,
        );
        assert.notEqual(response.json().code, 'auth.permission_missing');
      } else {
        assert.equal(
          response.statusCode,
          401,
          `${route.method} ${route.url} answered ${response.statusCode} without credentials`,
        );
        assert.equal(response.json().code, 'auth.required');
      }
    }
  });

  test('in every tenant each role reaches exactly the routes its permissions allow', async () => {
    for (const tenant of TENANTS) {
      for (const role of ROLE_NAMES) {
        const headers = await t.headers(role, tenant);
        for (const route of routes.filter((r) => !r.public)) {
          const response = await request(route, headers);
          const where = `${role}@${tenant} ${route.method} ${route.url} → ${response.statusCode}`;
          assert.ok(response.statusCode < 500, where);
          const deniedByPolicy =
            response.statusCode === 403 && response.json().code === 'auth.permission_missing';
          if (ROLE_PERMISSIONS[role].has(route.permission as (typeof PERMISSIONS)[number])) {
            assert.ok(
              response.statusCode !== 401 && !deniedByPolicy,
              `${where}: the role holds ${route.permission} but was refused`,
            );
          } else {
            assert.ok(deniedByPolicy, `${where}: the role lacks ${route.permission} but was not refused`);
          }
        }
      }
    }
  });

  test('a key of one tenant cannot be pointed at another tenant on any route', async () => {
    const headers = { ...(await t.headers('owner', TENANT_B)), 'x-steward-tenant': TENANT_A };
    for (const route of routes.filter((r) => !r.public)) {
      const response = await request(route, headers);
      assert.equal(response.statusCode, 403, `${route.method} ${route.url}`);
      assert.equal(response.json().code, 'auth.tenant_mismatch');
    }
  });

  test('no role can mint a key or grant a role with more than it holds itself', async () => {
    for (const tenant of TENANTS) {
      for (const role of ROLE_NAMES) {
        const held = ROLE_PERMISSIONS[role];
        const headers = await t.headers(role, tenant);
        if (held.has('apikeys:manage')) {
          for (const permission of PERMISSIONS.filter((p) => !held.has(p))) {
            const response = await t.app.inject({
              method: 'POST',
              url: '/v1/apikeys',
              headers,
              payload: { name: 'escalation', permissions: [permission] },
            });
            assert.equal(response.statusCode, 403, `${role} minted a key with ${permission}`);
          }
        }
        if (held.has('users:manage')) {
          for (const granted of ROLE_NAMES.filter((r) => !isSubsetOf(ROLE_PERMISSIONS[r], held))) {
            const response = await t.app.inject({
              method: 'POST',
              url: '/v1/users',
              headers,
              payload: { email: `${randomUUID()}@example.com`, roles: [granted] },
            });
            assert.equal(response.statusCode, 403, `${role} granted ${granted}`);
          }
        }
      }
    }
  });

  test('nothing one tenant creates can be read, listed, changed or deleted from another tenant', async () => {
    const ownerA = await t.headers('owner', TENANT_A);
    // Public writes too (privacy-center intake): with tenant A's credentials they act in tenant A.
    const writes = routes.filter(
      (r) => r.method !== 'GET' && r.method !== 'DELETE' && r.url !== '/v1/auth/logout',
    );
    const markers = new Set<string>();
    // Arrange: tenant A creates whatever the API lets it create, with schema-valid generated requests.
    for (const route of writes) {
      const operation = operationOf(route);
      if (!operation) continue;
      for (const generated of fc.sample(validRequestOf(operation, resolve), { numRuns: 20, seed: SEED })) {
        const response = await t.app.inject({
          method: generated.method as 'POST',
          url: generated.url,
          headers: ownerA,
          ...('payload' in generated ? { payload: generated.payload as object } : {}),
        });
        if (response.statusCode < 300)
          for (const id of response.body.match(UUID) ?? []) markers.add(id.toLowerCase());
        if (process.env.POLICY_DEBUG) console.log(route.method, route.url, response.statusCode);
      }
    }
    const lists = routes.filter((r) => !r.public && r.method === 'GET' && !r.url.includes(':'));
    const listedFor = async (headers: Record<string, string>) => {
      const seen = new Set<string>();
      for (const route of lists) {
        const response = await t.app.inject({ url: route.url, headers });
        if (response.statusCode < 300)
          for (const id of response.body.match(UUID) ?? []) seen.add(id.toLowerCase());
      }
      return seen;
    };
    const listedBefore = await listedFor(ownerA);
    for (const id of listedBefore) markers.add(id);
    // The harness's own keys exist in both tenants' setups; they are not objects tenant A created.
    for (const key of await t.app
      .inject({ url: '/v1/apikeys', headers: ownerA })
      .then((r) => r.json().apiKeys))
      if (key.name.startsWith('test ')) markers.delete(key.id);
    console.log('MARKERS', markers.size);
    assert.ok(markers.size >= 3, `tenant A should own several objects, found ${markers.size}`);
    const ids = [...markers].slice(0, 40);
    const leaks = (body: string) =>
      (body.match(UUID) ?? []).map((id) => id.toLowerCase()).filter((id) => markers.has(id));

    // Act and assert: every role of tenant B lists everything, then tries every route with tenant A's ids
    // (lists first: a PUT by name may legitimately create tenant B's own object named like A's id).
    for (const role of ROLE_NAMES) {
      const headersB = await t.headers(role, TENANT_B);
      for (const route of lists) {
        const response = await t.app.inject({ url: route.url, headers: headersB });
        assert.deepEqual(
          leaks(response.body),
          [],
          `${role}@${TENANT_B} GET ${route.url} shows tenant A's objects`,
        );
      }
    }
    for (const role of ROLE_NAMES) {
      const headersB = await t.headers(role, TENANT_B);
      for (const route of routes.filter((r) => !r.public && r.url.includes(':'))) {
        const operation = operationOf(route);
        const generated = operation
          ? fc.sample(validRequestOf(operation, resolve), { numRuns: 1, seed: SEED })[0]
          : undefined;
        const idsAreAssigned =
          operation?.pathParams.every((p) => typeof p.schema === 'object' && p.schema.format === 'uuid') ??
          true;
        for (const id of ids) {
          const url =
            route.url.replace(/:[A-Za-z0-9_]+/g, id) +
            (generated?.url.includes('?') ? generated.url.slice(generated.url.indexOf('?')) : '');
          const payload =
            route.method === 'GET' || route.method === 'DELETE'
              ? {}
              : { payload: (generated?.payload ?? {}) as object };
          const response = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: headersB,
            ...payload,
          });
          // Ids Steward assigns (uuid parameters) must not resolve across tenants; a name the client
          // chooses (PUT /secrets/{name}) may create the tenant's own object of that name.
          if (idsAreAssigned)
            assert.ok(
              response.statusCode >= 300,
              `${role}@${TENANT_B} ${route.method} ${route.url} with tenant A's ${id} answered ${response.statusCode}`,
            );
          // An error may repeat the id it was given; anything else of tenant A's is a leak.
          assert.deepEqual(
            leaks(response.body).filter((leaked) => leaked !== id),
            [],
            `${role}@${TENANT_B} ${route.method} ${url} shows tenant A's objects`,
          );
        }
      }
    }

    // Nothing tenant A could list before is gone (no cross-tenant delete).
    const listedAfter = await listedFor(ownerA);
    const missing = [...listedBefore].filter((id) => markers.has(id) && !listedAfter.has(id));
    assert.deepEqual(missing, [], 'objects of tenant A disappeared while tenant B was probing');
  });
});
