import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';

/**
 * A small CRM on the real PostgreSQL: customers (masked on erasure) and their invoices, which tax
 * law keeps ten years (GDPR Art. 17(3)(b)). Test code for the web module's console routes.
 */
export interface CrmFixture {
  source: TestSourceSystem;
  dataMapDir: string;
  close(): Promise<void>;
}

const SCHEMA = `
create table customers (id integer primary key, email text not null, name text not null);
create table invoices (id integer primary key, customer_id integer not null references customers(id), total numeric not null, issued_at timestamptz not null);
insert into customers values (1, 'ana@example.com', 'Ana Example'), (2, 'ben@example.com', 'Ben Example');
insert into invoices values (10, 1, 120.5, now() - interval '1 year'), (11, 1, 80, now() - interval '2 years'), (12, 2, 15, now());
`;

const DATA_MAP = `
version: 1
tenant: default
systems:
  - id: crm
    kind: postgres
    connection: { url: env:WEB_TEST_CRM_URL }
    role: controller
    recipients:
      - { name: Tax adviser, role: controller, country: DE }
    collections:
      - name: customers
        primaryKey: [id]
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, categories: [user.unique_id] }
          - { name: email, type: text, identity: email, categories: [user.contact.email], erasure: { strategy: fixed_value, value: erased } }
          - { name: name, type: text, categories: [user.name], erasure: { strategy: fixed_value, value: erased } }
      - name: invoices
        primaryKey: [id]
        purposes: [{ use: essential.legal_obligation, legalBasis: legal_obligation }]
        erasure: { strategy: keep, ground: legal_obligation, period: 10y, anchor: issued_at, reason: Tax law keeps invoices ten years }
        fields:
          - { name: id, type: integer }
          - name: customer_id
            type: integer
            categories: [user.unique_id]
            references: [{ field: customers.id, direction: from, onDelete: restrict }]
          - { name: total, type: numeric }
          - { name: issued_at, type: timestamptz }
`;

export async function createCrmFixture(): Promise<CrmFixture> {
  const source = await createSourceSystem('postgres', 'crm');
  await source.exec(SCHEMA);
  process.env.WEB_TEST_CRM_URL = source.url;
  const dataMapDir = await mkdtemp(join(tmpdir(), 'steward-web-datamap-'));
  await writeFile(join(dataMapDir, 'crm.yaml'), DATA_MAP);
  return {
    source,
    dataMapDir,
    async close() {
      await source.close();
      await rm(dataMapDir, { recursive: true, force: true });
    },
  };
}
