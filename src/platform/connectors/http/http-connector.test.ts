import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { HttpCollectionEndpoints, HttpEndpoint } from '../../datamap/datamap-types.ts';
import type { CollectionTarget, Connector, Row } from '../connector.ts';
import { createHttpConnector } from './http-connector.ts';

/** A small CRM API with contacts keyed by id and a newsletter list keyed by email. */
function aCrmApi(token: string) {
  const contacts = new Map<number, { id: number; email: string; name: string }>([
    [1, { id: 1, email: 'ann@example.com', name: 'Ann' }],
    [2, { id: 2, email: 'bob@example.com', name: 'Bob' }],
  ]);
  const newsletter = new Set(['ann@example.com', 'bob@example.com']);
  const calls: string[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    const url = new URL(request.url!, 'http://x');
    calls.push(`${request.method} ${url.pathname}`);
    let body = '';
    for await (const chunk of request) body += chunk;
    const send = (status: number, value?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(value === undefined ? '' : JSON.stringify(value));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'unauthorised' });
    if (url.pathname === '/slow') return setTimeout(() => send(200, {}), 2_000);
    const id = Number(url.pathname.split('/')[2]);
    if (request.method === 'GET' && url.pathname === '/contacts') {
      const email = url.searchParams.get('email');
      return send(200, { data: { items: [...contacts.values()].filter((c) => c.email === email) } });
    }
    if (request.method === 'DELETE' && url.pathname.startsWith('/contacts/'))
      return contacts.delete(id) ? send(204) : send(404);
    if (request.method === 'PATCH' && url.pathname.startsWith('/contacts/')) {
      const contact = contacts.get(id);
      if (!contact) return send(404);
      Object.assign(contact, JSON.parse(body));
      return send(200, contact);
    }
    if (request.method === 'DELETE' && url.pathname.startsWith('/newsletter/')) {
      return newsletter.delete(decodeURIComponent(url.pathname.split('/')[2]!)) ? send(204) : send(404);
    }
    return send(500, { error: 'unexpected' });
  });
  return { server, contacts, newsletter, calls };
}

const endpoint = (
  method: HttpEndpoint['method'],
  path: string,
  extra: Partial<HttpEndpoint> = {},
): HttpEndpoint => ({ method, path, query: {}, headers: {}, notFoundStatuses: [404], ...extra });

const contactEndpoints: HttpCollectionEndpoints = {
  read: {
    email: endpoint('GET', '/contacts', { query: { email: '{identity.email}' }, rowsPath: 'data.items' }),
  },
  delete: { row: endpoint('DELETE', '/contacts/{row.id}') },
  update: { row: endpoint('PATCH', '/contacts/{row.id}', { body: { name: '{value.name}' } }) },
};
const contacts: CollectionTarget = {
  name: 'contacts',
  primaryKey: ['id'],
  http: { endpoints: contactEndpoints, identityColumns: { email: 'email' } },
};
const newsletter: CollectionTarget = {
  name: 'newsletter',
  primaryKey: [],
  http: {
    endpoints: {
      read: {},
      delete: { email: endpoint('DELETE', '/newsletter/{identity.email}') },
      update: {},
    },
    identityColumns: { email: 'email' },
  },
};

describe('the HTTP connector against a real HTTP server', () => {
  const api = aCrmApi('s3cret');
  let connector: Connector;
  let server: Server;
  before(async () => {
    server = api.server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    process.env.TEST_CRM_TOKEN = 's3cret';
    connector = createHttpConnector('crm', {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      headers: { authorization: { secret: 'env:TEST_CRM_TOKEN', prefix: 'Bearer ' } },
      timeoutMs: 500,
    });
  });
  after(async () => {
    await connector.close();
    server.close();
  });

  test('reads the rows of an identity through the declared endpoint', async () => {
    const rows: Row[] = [];
    for await (const page of connector.read({
      target: contacts,
      columns: ['id', 'email', 'name'],
      where: { kind: 'in', columns: ['email'], tuples: [['ann@example.com'], ['nobody@example.com']] },
      keyset: ['id'],
    })) {
      rows.push(...page);
    }
    assert.deepEqual(rows, [{ id: 1, email: 'ann@example.com', name: 'Ann' }]);
  });

  test('updates and deletes per row and per identity; deleting what is gone is not an error', async () => {
    await connector.transaction(async (tx) => {
      assert.equal(
        await tx.update({
          target: contacts,
          set: { name: { kind: 'per_row', keyColumns: ['id'], values: [{ key: [1], value: 'A.' }] } },
          where: { kind: 'in', columns: ['id'], tuples: [[1]] },
        }),
        1,
      );
      assert.equal(api.contacts.get(1)?.name, 'A.');
      assert.equal(
        await tx.delete({ target: contacts, where: { kind: 'in', columns: ['id'], tuples: [[1]] } }),
        1,
      );
      assert.equal(
        await tx.delete({
          target: newsletter,
          where: { kind: 'in', columns: ['email'], tuples: [['ann@example.com']] },
        }),
        1,
      );
      assert.equal(
        await tx.delete({
          target: newsletter,
          where: { kind: 'in', columns: ['email'], tuples: [['ann@example.com']] },
        }),
        0,
      );
    });
    assert.deepEqual([...api.contacts.keys()], [2]);
    assert.deepEqual([...api.newsletter], ['bob@example.com']);
  });

  test('a rejected credential, a missing endpoint and a timeout are reported as such', async () => {
    process.env.TEST_CRM_TOKEN = 'wrong';
    await assert.rejects(
      connector.count(contacts, { kind: 'in', columns: ['email'], tuples: [['bob@example.com']] }),
      { code: 'connector.http_rejected' },
    );
    process.env.TEST_CRM_TOKEN = 's3cret';
    await assert.rejects(
      connector.count(newsletter, { kind: 'in', columns: ['email'], tuples: [['bob@example.com']] }),
      { code: 'connector.http_endpoint_missing' },
    );
    const slow: CollectionTarget = {
      ...contacts,
      http: {
        endpoints: { ...contactEndpoints, read: { email: endpoint('GET', '/slow') } },
        identityColumns: { email: 'email' },
      },
    };
    await assert.rejects(
      connector.count(slow, { kind: 'in', columns: ['email'], tuples: [['bob@example.com']] }),
      { code: 'connector.http_unreachable' },
    );
  });
});
