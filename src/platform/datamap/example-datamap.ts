import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The example `steward init` writes: a shop database and a CRM reached over HTTP, showing
 * identities, references, purposes, erasure strategies, a legal hold and a retention rule.
 */
export const EXAMPLE_DATAMAP_YAML = `# yaml-language-server: $schema=../schemas/datamap.schema.json
# Steward data map: which systems hold personal data, where, why, and how to erase it.
# Every .yaml file in this folder is merged. Check it with: steward datamap validate
# Draft one from a live database with: steward datamap generate --url env:SHOP_DB_URL
tenant: default

systems:
  - id: shop
    name: Web shop database
    kind: postgres
    owner: shop-team@example.com
    region: eu-central-1
    role: controller
    connection:
      url: env:SHOP_DB_URL # credentials only as env:NAME or file:/path
    recipients:
      - { name: Parcel carrier, category: logistics, role: processor, country: DE }
    collections:
      - name: customers
        primaryKey: [id]
        erasure: delete_row
        purposes:
          - { use: essential.service, legalBasis: contract }
        retention: { keepFor: 3y, anchor: last_login_at, action: delete }
        fields:
          - { name: id, type: bigint, nullable: false, categories: [user.unique_id], identity: user_id }
          - { name: email, type: varchar(255), nullable: false, categories: [user.contact.email], identity: email }
          - { name: name, type: varchar(200), categories: [user.name] }
          - { name: last_login_at, type: timestamptz }

      - name: orders
        primaryKey: [id]
        # Invoices must be kept 10 years for tax law; personal fields that are not needed are masked.
        erasure: { strategy: keep, ground: legal_obligation, period: 10y, anchor: created_at, reason: "§147 AO / §257 HGB: accounting records" }
        purposes:
          - { use: essential.service.payment_processing, legalBasis: contract }
          - { use: finance, legalBasis: legal_obligation }
        fields:
          - { name: id, type: bigint, nullable: false }
          - name: customer_id
            type: bigint
            nullable: false
            categories: [user.unique_id]
            references: [{ field: customers.id, direction: from, onDelete: restrict }]
          - { name: shipping_address, type: text, categories: [user.contact.address], erasure: { strategy: "null" } }
          - { name: created_at, type: timestamptz, nullable: false }

      - name: newsletter_subscriptions
        primaryKey: [] # no primary key: rows are found by the identity
        erasure: delete_row
        purposes:
          - { use: marketing.communications.email, legalBasis: consent }
        fields:
          - { name: email, type: varchar(255), nullable: false, categories: [user.contact.email], identity: email }
          - { name: subscribed_at, type: timestamptz }

  - id: crm
    name: Support CRM
    kind: http
    role: processor
    region: us-east-1
    transfers:
      - { country: US, safeguard: eu_us_data_privacy_framework, recipient: CRM vendor }
    connection:
      baseUrl: https://crm.example.com/api
      headers:
        Authorization: { secret: env:CRM_TOKEN, prefix: "Bearer " }
    collections:
      - name: contacts
        purposes:
          - { use: essential.service.operations.support, legalBasis: contract }
        endpoints:
          read:
            email: { method: GET, path: /contacts, query: { email: "{identity.email}" }, rowsPath: data }
          delete:
            row: { method: DELETE, path: "/contacts/{row.id}" }
        fields:
          - { name: id, type: string }
          - { name: email, type: string, categories: [user.contact.email], identity: email, erasure: { strategy: "null" } }
          - { name: notes, type: string, categories: [user.content.private], erasure: { strategy: "null" } }
`;

/** Writes `example.yaml` into the data-map folder unless a file of that name is there already. */
export function writeExampleDataMap(folder: string): string | undefined {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'example.yaml');
  if (existsSync(file)) return undefined;
  writeFileSync(file, EXAMPLE_DATAMAP_YAML);
  return file;
}
