import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureGovernanceTables } from '../store/ensure-governance-tables.ts';

/** Creates the governance tables if the app's migrations do not include them yet. */
export const ensureGovernanceSchema = ensureGovernanceTables;

/** 500 customers; orders of 400 of them; sessions of 450, a fifth anonymous; invoice lines. */
export const BREACH_SHOP_SQL = `
  create table customers (id integer primary key, email text not null, created_at timestamptz not null);
  insert into customers select g, 'c' || g || '@example.com', timestamptz '2026-01-01' + g * interval '1 hour' from generate_series(1, 500) g;
  create table orders (id integer primary key, customer_id integer not null references customers(id), placed_at timestamptz not null, total numeric(10,2) not null);
  insert into orders select g, (g % 400) + 1, timestamptz '2026-02-01' + g * interval '1 hour', 10 + g from generate_series(1, 1500) g;
  create table order_items (order_id integer not null references orders(id), line_no integer not null, sku text not null, primary key (order_id, line_no));
  insert into order_items select (g % 1500) + 1, g, 'SKU' || g from generate_series(1, 3000) g;
  create table sessions (customer_id integer references customers(id), ip_address text, started_at timestamptz not null);
  insert into sessions select case when g % 5 = 0 then null else (g % 450) + 1 end, '10.0.' || (g % 250) || '.1', timestamptz '2026-03-01' + g * interval '10 minutes' from generate_series(1, 3000) g;`;

/** The data map of the breach shop on a PostgreSQL URL without password. */
export function breachShopDataMap(url: string): string {
  return `version: 1
tenant: default
identities:
  customer_id: { match: exact }
systems:
  - id: shop
    kind: postgres
    region: eu-central-1
    connection: { url: "${url}" }
    recipients:
      - { name: Card processor, category: payment, role: processor, country: US }
    transfers:
      - { country: US, safeguard: standard_contractual_clauses, recipient: Card processor }
    collections:
      - name: customers
        primaryKey: [id]
        purposes: [{ use: essential.service, legalBasis: contract }]
        retention: { keepFor: 3y, anchor: created_at, action: anonymise }
        fields:
          - { name: id, type: integer, identity: customer_id, categories: [user.unique_id] }
          - { name: email, type: text, identity: email, categories: [user.contact.email], erasure: random }
          - { name: created_at, type: timestamptz, categories: [system.operations] }
      - name: orders
        primaryKey: [id]
        purposes: [{ use: essential.service.payment_processing, legalBasis: contract }]
        retention: { keepFor: 10y, anchor: placed_at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: customer_id, type: integer, categories: [user.unique_id], references: [{ field: customers.id, direction: from, onDelete: restrict }] }
          - { name: placed_at, type: timestamptz, categories: [user.behavior.purchase_history] }
          - { name: total, type: "numeric(10,2)", categories: [user.financial] }
      - name: order_items
        primaryKey: [order_id, line_no]
        purposes: [{ use: essential.service.payment_processing, legalBasis: contract }]
        fields:
          - { name: order_id, type: integer, references: [{ field: orders.id, direction: from, onDelete: restrict }] }
          - { name: line_no, type: integer }
          - { name: sku, type: text, categories: [user.behavior.purchase_history] }
      - name: sessions
        primaryKey: []
        purposes:
          - { use: analytics.reporting, legalBasis: consent }
        retention: { keepFor: 13m, anchor: started_at, action: delete }
        fields:
          - { name: customer_id, type: integer, categories: [user.unique_id], references: [{ field: customers.id, direction: from, onDelete: set_null }], erasure: "null" }
          - { name: ip_address, type: text, categories: [user.device.ip_address], erasure: "null" }
          - { name: started_at, type: timestamptz }
`;
}

/** A folder holding the breach shop's data map, for `datamap.path`. */
export function writeBreachShopFolder(url: string): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'steward-governance-')), 'datamap');
  mkdirSync(folder);
  writeFileSync(join(folder, 'shop.yaml'), breachShopDataMap(url));
  return folder;
}

/**
 * A breach file (`steward breach record --file`) of the breach shop: an order export of ten days
 * in February mailed to the wrong partner, which the officer learnt of an hour ago.
 */
export function misdirectedOrderExportBreachYaml(): string {
  return stringify({
    title: 'Misdirected order export',
    description: 'An order export was emailed to the wrong partner.',
    nature: { confidentiality: true, integrity: false, availability: false },
    awareAt: new Date(Date.now() - 3_600_000).toISOString(),
    affected: [
      {
        system: 'shop',
        collection: 'orders',
        window: { field: 'placed_at', from: '2026-02-01T00:00:00Z', to: '2026-02-11T00:00:00Z' },
      },
    ],
    contact: 'dpo@shop.example',
  });
}
