import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';

/** The SQL kinds the shop is created on (the same as the test source systems'). */
type SourceKind = 'postgres' | 'mysql';

/**
 * A small shop with everything that makes erasure hard, used by the executor and journal tests:
 * foreign keys three levels deep, a composite primary key (order_items), a leaf deleted
 * without reading it (signups), a table without a primary
 * key (page_views), a self-reference (customers.referred_by, comments.parent_id), a cycle broken by
 * a nullable key (customers.default_address_id ↔ addresses.customer_id), a JSON column, two
 * customers whose emails differ only in case, and gift orders shipped to another person's address.
 *
 * People: Ann has two accounts (1: Ann@Example.com, 2: ANN@example.COM); Bob is customer 3,
 * referred by Ann's second account.
 * - Ann's order 10 ships to her address 100 and has a payment from 2024 (under a 10-year tax hold).
 * - Ann's order 11 is a gift to Bob: it ships to Bob's address 300; its payment is from 2010 (lapsed).
 * - Bob's order 30 ships to his own address; Bob's order 31 is a gift to Ann, shipped to her address 100.
 */
export function shopSchemaSql(kind: SourceKind): string {
  const json = kind === 'mysql' ? 'JSON' : 'JSONB';
  const timestamp = kind === 'mysql' ? 'DATETIME' : 'TIMESTAMP';
  return `
    CREATE TABLE customers (
      id INTEGER PRIMARY KEY,
      email VARCHAR(100) NOT NULL,
      name VARCHAR(100),
      referred_by INTEGER NULL REFERENCES customers (id),
      default_address_id INTEGER NULL
    );
    CREATE TABLE addresses (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers (id),
      street VARCHAR(100) NOT NULL,
      city VARCHAR(50)
    );
    ALTER TABLE customers ADD CONSTRAINT customers_default_address FOREIGN KEY (default_address_id) REFERENCES addresses (id);
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers (id),
      shipping_address_id INTEGER NOT NULL REFERENCES addresses (id) ON DELETE RESTRICT,
      gift_message VARCHAR(200),
      placed_at ${timestamp} NOT NULL
    );
    CREATE TABLE order_items (
      order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      line_no INTEGER NOT NULL,
      sku VARCHAR(20) NOT NULL,
      PRIMARY KEY (order_id, line_no)
    );
    CREATE TABLE payments (
      id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL REFERENCES orders (id),
      amount DECIMAL(10, 2) NOT NULL,
      card_last4 CHAR(4),
      paid_at DATE NOT NULL
    );
    CREATE TABLE preferences (
      customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
      settings ${json} NOT NULL
    );
    CREATE TABLE comments (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers (id),
      parent_id INTEGER NULL REFERENCES comments (id),
      body VARCHAR(200) NOT NULL
    );
    CREATE TABLE signups (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers (id),
      topic VARCHAR(50) NOT NULL
    );
    CREATE TABLE page_views (
      customer_id INTEGER NULL REFERENCES customers (id) ON DELETE SET NULL,
      ip VARCHAR(64) NOT NULL,
      path VARCHAR(100) NOT NULL,
      user_agent VARCHAR(100) NULL
    );
  `;
}

/** Every table of the shop, in the order shopSchemaSql creates them. */
export const SHOP_TABLES = [
  'customers',
  'addresses',
  'orders',
  'order_items',
  'payments',
  'preferences',
  'comments',
  'signups',
  'page_views',
];

export const SHOP_DATA_SQL = `
  INSERT INTO customers (id, email, name) VALUES (1, 'Ann@Example.com', 'Ann'), (2, 'ANN@example.COM', 'Ann B.'), (3, 'bob@example.com', 'Bob');
  INSERT INTO addresses VALUES (100, 1, '1 Ann Street', 'Annville'), (200, 2, '2 Ann Road', 'Annburg'), (300, 3, '3 Bob Lane', 'Bobtown');
  UPDATE customers SET default_address_id = 100 WHERE id = 1;
  UPDATE customers SET default_address_id = 200 WHERE id = 2;
  UPDATE customers SET default_address_id = 300, referred_by = 2 WHERE id = 3;
  INSERT INTO orders VALUES
    (10, 1, 100, NULL, '2024-01-10 10:00:00'),
    (11, 2, 300, 'Happy birthday, Bob!', '2010-01-01 09:00:00'),
    (30, 3, 300, NULL, '2024-02-01 12:00:00'),
    (31, 3, 100, 'For Ann, with love', '2024-03-01 12:00:00');
  INSERT INTO order_items VALUES (10, 1, 'TEA'), (10, 2, 'CUP'), (11, 1, 'CAKE'), (30, 1, 'PEN'), (31, 1, 'BOOK');
  INSERT INTO payments VALUES (1000, 10, 19.90, '4242', '2024-01-10'), (1100, 11, 35.00, '1111', '2010-01-01'), (3000, 30, 2.50, '9999', '2024-02-01'), (3100, 31, 12.00, '9999', '2024-03-01');
  INSERT INTO preferences VALUES (1, '{"newsletter": true, "theme": "dark"}'), (2, '{"newsletter": false}'), (3, '{"newsletter": true}');
  INSERT INTO comments VALUES (50, 2, NULL, 'Great tea'), (51, 2, 50, 'Also the cups'), (52, 3, 51, 'Agreed, Ann!');
  INSERT INTO signups VALUES (60, 1, 'tea news'), (61, 2, 'cake news'), (62, 2, 'tea news'), (63, 3, 'pen news');
  INSERT INTO page_views VALUES (1, '10.0.0.1', '/tea', 'Firefox'), (1, '10.0.0.1', '/cups', 'Firefox'), (2, '10.0.0.2', '/cake', 'Safari'), (3, '10.0.0.3', '/pens', 'Safari'), (NULL, '10.0.0.9', '/', NULL);
`;

/** The shop's data map, in the YAML users write, loaded and validated by the real loader. */
export function shopDataMapYaml(kind: SourceKind, connection: string): string {
  return `
tenant: default
systems:
  - id: shop
    kind: ${kind}
    role: controller
    connection: ${connection}
    collections:
      - name: customers
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false, categories: [user.unique_id] }
          - { name: email, type: varchar(100), nullable: false, categories: [user.contact.email], identity: email, erasure: { strategy: hmac, key: env:TEST_SHOP_HMAC_KEY } }
          - { name: name, type: varchar(100), categories: [user.name], erasure: "null" }
          - name: referred_by
            type: integer
            nullable: true
            references: [{ field: customers.id, direction: from, onDelete: no_action }]
          - name: default_address_id
            type: integer
            nullable: true
            references: [{ field: addresses.id, direction: to, onDelete: no_action }]
      - name: addresses
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: customer_id
            type: integer
            nullable: false
            categories: [user.unique_id]
            references: [{ field: customers.id, direction: from, onDelete: no_action }]
          - { name: street, type: varchar(100), nullable: false, categories: [user.contact.address.street], erasure: { strategy: hmac, key: env:TEST_SHOP_HMAC_KEY } }
          - { name: city, type: varchar(50), categories: [user.contact.address.city], erasure: "null" }
      - name: orders
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: customer_id
            type: integer
            nullable: false
            categories: [user.unique_id]
            references: [{ field: customers.id, direction: from, onDelete: no_action }]
          - name: shipping_address_id
            type: integer
            nullable: false
            references: [{ field: addresses.id, direction: to, onDelete: restrict }]
          - { name: gift_message, type: varchar(200), categories: [user.content.private], erasure: "null" }
          - { name: placed_at, type: timestamp, nullable: false }
      - name: order_items
        primaryKey: [order_id, line_no]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - name: order_id
            type: integer
            nullable: false
            references: [{ field: orders.id, direction: from, onDelete: cascade }]
          - { name: line_no, type: integer, nullable: false }
          - { name: sku, type: varchar(20), nullable: false }
      - name: payments
        primaryKey: [id]
        erasure: { strategy: keep, ground: legal_obligation, period: 10y, anchor: paid_at, reason: "§147 AO: accounting records are kept 10 years" }
        purposes: [{ use: essential.service.payment_processing, legalBasis: legal_obligation }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: order_id
            type: integer
            nullable: false
            references: [{ field: orders.id, direction: from, onDelete: no_action }]
          - { name: amount, type: "decimal(10,2)", nullable: false, categories: [user.financial] }
          - { name: card_last4, type: char(4), categories: [user.financial.bank_account] }
          - { name: paid_at, type: date, nullable: false }
      - name: preferences
        primaryKey: [customer_id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - name: customer_id
            type: integer
            nullable: false
            references: [{ field: customers.id, direction: from, onDelete: cascade }]
          - { name: settings, type: json, nullable: false, categories: [user.behavior] }
      - name: comments
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: customer_id
            type: integer
            nullable: false
            references: [{ field: customers.id, direction: from, onDelete: no_action }]
          - name: parent_id
            type: integer
            nullable: true
            references: [{ field: comments.id, direction: from, onDelete: no_action }]
          - { name: body, type: varchar(200), nullable: false, categories: [user.content.public] }
      - name: signups
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: marketing.communications.email, legalBasis: consent }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: customer_id
            type: integer
            nullable: false
            references: [{ field: customers.id, direction: from, onDelete: no_action }]
          - { name: topic, type: varchar(50), nullable: false, categories: [user.behavior] }
      - name: page_views
        primaryKey: []
        erasure: { strategy: hmac, key: env:TEST_SHOP_HMAC_KEY }
        purposes: [{ use: analytics, legalBasis: legitimate_interests }]
        fields:
          - name: customer_id
            type: integer
            nullable: true
            erasure: "null"
            references: [{ field: customers.id, direction: from, onDelete: set_null }]
          - { name: ip, type: varchar(64), nullable: false, categories: [user.device.ip_address] }
          - { name: path, type: varchar(100), nullable: false }
          - { name: user_agent, type: varchar(100), nullable: true, categories: [user.device], erasure: "null" }
`;
}

/** The loaded data map; throws with the loader's problems when the YAML is invalid. */
export function shopDataMap(kind: SourceKind, connection: string): DataMap {
  const validation = validateDataMapText('shop.yaml', shopDataMapYaml(kind, connection));
  const errors = validation.problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw new InvalidInput(
      'test.datamap_invalid',
      `The test shop's data map is invalid: ${JSON.stringify(errors, null, 1)}`,
    );
  return validation.dataMaps[0]!;
}
