import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceKind, TestSourceSystem } from '../../../../test/support/test-source-systems.ts';

/**
 * An application database with a rule of every kind, for the retention tests:
 * - accounts: anonymise 3y after the last login, only inactive ones (10 due; 3 active, 3 recent and
 *   one that never logged in are not);
 * - replies and tickets: delete 2y after creation; 2 old tickets still have recent replies
 *   (RESTRICT-like reference) and must stay, 10 go, and 4 old replies go first;
 * - visits: no primary key, delete after 13 months: 20 old rows in 5 groups of equal timestamps;
 * - invoices: delete 10y after creation, but under a 10-year tax hold counted from issued_at:
 *   3 are free of it, 3 are still held.
 */
// Anonymising needs a key held outside the data (an unkeyed hash would only pseudonymise).
process.env.RETENTION_FIXTURE_MASK_KEY ??= 'retention-fixture-mask-key-0123456789abcdef';

export const EXPECTED = {
  anonymised: 10,
  repliesDeleted: 4,
  ticketsDeleted: 10,
  ticketsKept: 2,
  visitsDeleted: 20,
  invoicesDeleted: 3,
  invoicesHeld: 3,
};

export async function seedRetentionFixture(source: TestSourceSystem): Promise<void> {
  const ts = source.kind === 'mysql' ? 'DATETIME' : 'TIMESTAMP';
  await source.exec(`
    CREATE TABLE accounts (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100) NOT NULL, status VARCHAR(20) NOT NULL, last_login_at ${ts} NULL);
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id), body VARCHAR(200), created_at ${ts} NOT NULL);
    CREATE TABLE replies (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets (id), body VARCHAR(200), created_at ${ts} NOT NULL);
    CREATE TABLE visits (account_id INTEGER NULL, ip VARCHAR(50), started_at ${ts} NOT NULL);
    CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, total DECIMAL(10, 2) NOT NULL, issued_at DATE NOT NULL, created_at ${ts} NOT NULL);
  `);
  const recent = sqlTime(new Date(Date.now() - 86_400_000));
  const lastYear = sqlTime(new Date(Date.now() - 365 * 86_400_000)).slice(0, 10);
  const accounts = [];
  for (let id = 1; id <= 17; id++) {
    const status = id >= 11 && id <= 13 ? 'active' : 'inactive';
    const login = id <= 13 ? "'2019-01-01 10:00:00'" : id <= 16 ? `'${recent}'` : 'NULL';
    accounts.push(`(${id}, 'person${id}@example.com', 'Person ${id}', '${status}', ${login})`);
  }
  const tickets = Array.from(
    { length: 20 },
    (_, i) =>
      `(${i + 1}, ${(i % 17) + 1}, 'Please call me at +49 30 ${1000 + i}', '${i < 12 ? '2020-01-01 09:00:00' : recent}')`,
  );
  const replies = [
    `(1, 1, 'recent reply', '${recent}')`,
    `(2, 2, 'recent reply', '${recent}')`,
    ...[3, 4, 5, 6].map((t) => `(${t}, ${t}, 'old reply', '2020-02-01 09:00:00')`),
  ];
  const visits = [
    ...Array.from(
      { length: 20 },
      (_, i) => `(${(i % 17) + 1}, '10.0.0.${i}', '2020-0${1 + Math.floor(i / 4)}-01 12:00:00')`,
    ),
    ...Array.from({ length: 10 }, (_, i) => `(${i + 1}, '10.0.1.${i}', '${recent}')`),
  ];
  const invoices = [1, 2, 3, 4, 5, 6].map(
    (id) => `(${id}, ${id}, 99.50, '${id <= 3 ? '2010-01-01' : lastYear}', '2010-01-01 08:00:00')`,
  );
  await source.exec(`
    INSERT INTO accounts VALUES ${accounts.join(', ')};
    INSERT INTO tickets VALUES ${tickets.join(', ')};
    INSERT INTO replies VALUES ${replies.join(', ')};
    INSERT INTO visits VALUES ${visits.join(', ')};
    INSERT INTO invoices VALUES ${invoices.join(', ')};
  `);
}

export function retentionFixtureDataMap(kind: SourceKind, url: string): string {
  const connection = `{ url: ${JSON.stringify(url)} }`;
  return `
version: 1
systems:
  - id: app
    kind: ${kind}
    connection: ${connection}
    collections:
      - name: accounts
        primaryKey: [id]
        retention: { keepFor: 3y, anchor: last_login_at, where: { status: inactive }, action: anonymise }
        fields:
          - { name: id, type: integer, categories: [user.unique_id] }
          - { name: email, type: varchar(100), identity: email, categories: [user.contact.email], erasure: { strategy: hmac, key: env:RETENTION_FIXTURE_MASK_KEY } }
          - { name: name, type: varchar(100), categories: [user.name], erasure: { strategy: fixed_value, value: erased } }
          - { name: status, type: varchar(20), erasure: { strategy: fixed_value, value: closed } }
          - { name: last_login_at, type: timestamp, categories: [user.behavior], erasure: 'null' }
      - name: tickets
        primaryKey: [id]
        retention: { keepFor: 2y, anchor: created_at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: account_id, type: integer, categories: [user.unique_id], references: [{ field: accounts.id, onDelete: no_action }] }
          - { name: body, type: varchar(200), categories: [user.content.private] }
          - { name: created_at, type: timestamp }
      - name: replies
        primaryKey: [id]
        retention: { keepFor: 2y, anchor: created_at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: ticket_id, type: integer, references: [{ field: tickets.id, onDelete: no_action }] }
          - { name: body, type: varchar(200), categories: [user.content.private] }
          - { name: created_at, type: timestamp }
      - name: visits
        primaryKey: []
        retention: { keepFor: 13m, anchor: started_at, action: delete }
        fields:
          - { name: account_id, type: integer, categories: [user.unique_id], references: [{ field: accounts.id }] }
          - { name: ip, type: varchar(50), categories: [user.device.ip_address] }
          - { name: started_at, type: timestamp }
      - name: invoices
        primaryKey: [id]
        erasure: { strategy: keep, ground: legal_obligation, period: 10y, anchor: issued_at, reason: "Invoices are kept 10 years (§147 AO)" }
        retention: { keepFor: 10y, anchor: created_at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: account_id, type: integer, categories: [user.unique_id], references: [{ field: accounts.id }] }
          - { name: total, type: "decimal(10,2)", categories: [user.financial] }
          - { name: issued_at, type: date }
          - { name: created_at, type: timestamp }
`;
}

/** A folder holding the data map (and a flows folder beside it). */
export function writeFixtureFolders(
  kind: SourceKind,
  url: string,
  flows: Record<string, string> = {},
): { datamap: string; flows: string } {
  const root = mkdtempSync(join(tmpdir(), 'steward-retention-'));
  const datamap = join(root, 'datamap');
  const flowsFolder = join(root, 'flows');
  mkdirSync(datamap);
  mkdirSync(flowsFolder);
  writeFileSync(join(datamap, 'app.yaml'), retentionFixtureDataMap(kind, url));
  for (const [name, text] of Object.entries(flows)) writeFileSync(join(flowsFolder, name), text);
  return { datamap, flows: flowsFolder };
}

function sqlTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
