import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createHttpConnector } from '../../../../platform/connectors/http/http-connector.ts';
import type { Connector, Row } from '../../../../platform/connectors/connector.ts';
import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { planAccess, planErasure } from '../../core/planning/index.ts';
import { runAccessForSystem, runErasureForSystem } from './index.ts';

/** A support CRM's API: contacts with notes (one call per row to delete), a mailing list keyed by email. */
const contacts = new Map<string, { id: string; email: string; notes: string | null }>([
  ['c1', { id: 'c1', email: 'ann@example.com', notes: 'called about a refund' }],
  ['c2', { id: 'c2', email: 'bob@example.com', notes: 'VIP' }],
]);
const mailingList = new Set(['ann@example.com', 'bob@example.com']);

const server: Server = createServer(async (request, response) => {
  const url = new URL(request.url!, 'http://crm');
  for await (const _chunk of request); // drain
  const send = (status: number, value?: unknown) =>
    response
      .writeHead(status, { 'content-type': 'application/json' })
      .end(value === undefined ? '' : JSON.stringify(value));
  const [, resource, encoded] = url.pathname.split('/');
  const key = encoded === undefined ? undefined : decodeURIComponent(encoded);
  if (resource === 'contacts' && request.method === 'GET')
    return send(200, {
      data: [...contacts.values()].filter((c) => c.email === url.searchParams.get('email')),
    });
  if (resource === 'contacts' && request.method === 'DELETE')
    return contacts.delete(key!) ? send(204) : send(404);
  if (resource === 'mailing-list' && request.method === 'GET')
    return mailingList.has(key!) ? send(200, { email: key }) : send(404);
  if (resource === 'mailing-list' && request.method === 'DELETE')
    return mailingList.delete(key!) ? send(204) : send(404);
  return send(400);
});

let connector: Connector;
let dataMap: DataMap;
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const validation = validateDataMapText(
    'crm.yaml',
    `tenant: default
systems:
  - id: crm
    kind: http
    role: processor
    connection: { baseUrl: "${baseUrl}" }
    collections:
      - name: contacts
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service.operations.support, legalBasis: contract }]
        endpoints:
          read: { email: { path: /contacts, query: { email: "{identity.email}" }, rowsPath: data } }
          delete: { row: { method: DELETE, path: "/contacts/{row.id}" } }
        fields:
          - { name: id, type: string }
          - { name: email, type: string, categories: [user.contact.email], identity: email }
          - { name: notes, type: string, categories: [user.content.private] }
      - name: mailing_list
        primaryKey: []
        erasure: delete_row
        purposes: [{ use: marketing.communications.email, legalBasis: consent }]
        endpoints:
          read: { email: { path: "/mailing-list/{identity.email}", rowsPath: $ } }
          delete: { email: { method: DELETE, path: "/mailing-list/{identity.email}" } }
        fields:
          - { name: email, type: string, categories: [user.contact.email], identity: email }
`,
  );
  assert.deepEqual(
    validation.problems.filter((p) => p.severity === 'error'),
    [],
  );
  dataMap = validation.dataMaps[0]!;
  connector = createHttpConnector(
    'crm',
    (dataMap.systems[0] as Extract<DataMap['systems'][number], { kind: 'http' }>).connection,
  );
});
after(async () => {
  await connector.close();
  server.close();
});

test('a system reached through its API: access reads and erasure deletes through the declared endpoints, the other person stays', async () => {
  const rows: Record<string, Row[]> = {};
  for await (const page of runAccessForSystem(
    planAccess(dataMap, { email: ['Ann@Example.com'] }),
    'crm',
    connector,
  ))
    rows[page.collection] = page.rows;
  assert.deepEqual(rows, {
    contacts: [{ id: 'c1', email: 'ann@example.com', notes: 'called about a refund' }],
    mailing_list: [{ email: 'ann@example.com' }],
  });

  const dry = await runErasureForSystem(
    planErasure(dataMap, { email: ['ann@example.com'] }),
    'crm',
    connector,
    { dryRun: true },
  );
  assert.deepEqual(
    dry.collections.map((c) => [c.collection, c.changes!.deleted]),
    [
      ['contacts', [{ id: 'c1' }]],
      ['mailing_list', [{ email: 'ann@example.com' }]],
    ],
  );
  assert.equal(contacts.size, 2);

  const report = await runErasureForSystem(
    planErasure(dataMap, { email: ['ann@example.com'] }),
    'crm',
    connector,
  );
  assert.deepEqual(
    report.collections.map((c) => [c.collection, c.rowsDeleted]),
    [
      ['contacts', 1],
      ['mailing_list', 1],
    ],
  );
  assert.deepEqual([...contacts.keys()], ['c2']);
  assert.deepEqual([...mailingList], ['bob@example.com']);
});
