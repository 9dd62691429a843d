import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { applyDataMapChanges, unifiedDiff } from './datamap-patch.ts';

/** A data map formatted as people (and Prettier) write them: folded text, `[id]`, padded flow maps. */
const DATAMAP = `# The shop's data map.
systems:
  - id: shop
    kind: postgres
    connection: { url: env:SHOP_DB_URL }
    collections:
      - name: customers
        description: >-
          Customer accounts. Rows stay (orders refer to them under the tax hold), so an erasure
          masks the personal fields instead of deleting the row.
        primaryKey: [id]
        fields:
          - name: id
            type: integer
            categories: [user.unique_id]
          - { name: email, identity: email, categories: [user.contact.email] }

      - name: support_tickets
        primaryKey: [id]
        fields:
          - name: id
            type: integer
          - name: body
            type: text
            categories: [user.content.private]
            # Free text cannot be masked field by field: it is removed as a whole.
            erasure: 'null'
`;

/** The lines a diff adds and removes, without its headers. */
function changedLines(before: string, after: string): string[] {
  return unifiedDiff('datamap/shop.yaml', before, after)
    .split('\n')
    .filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
}

test('a proposed category changes the field’s lines only: folded text and [id] stay as written', () => {
  const after = applyDataMapChanges(
    DATAMAP,
    [
      {
        kind: 'set_categories',
        system: 'shop',
        collection: 'support_tickets',
        field: 'body',
        categories: ['user.content.private', 'user.contact.email'],
      },
    ],
    'shop.yaml',
  );
  assert.deepEqual(changedLines(DATAMAP, after), [
    '-            categories: [user.content.private]',
    '+            categories: [user.content.private, user.contact.email]',
    '+            review: true',
  ]);
  const body = parse(after).systems[0].collections[1].fields[1];
  assert.deepEqual(body, {
    name: 'body',
    type: 'text',
    categories: ['user.content.private', 'user.contact.email'],
    erasure: 'null',
    review: true,
  });
});

test('a field written in flow style is changed inside its braces', () => {
  const after = applyDataMapChanges(
    DATAMAP,
    [
      {
        kind: 'set_categories',
        system: 'shop',
        collection: 'customers',
        field: 'email',
        categories: ['user.contact.email', 'user.name'],
      },
    ],
    'shop.yaml',
  );
  assert.deepEqual(changedLines(DATAMAP, after), [
    '-          - { name: email, identity: email, categories: [user.contact.email] }',
    '+          - { name: email, identity: email, categories: [user.contact.email, user.name], review: true }',
  ]);
});

test('a new field and a new collection are added as lines of their own at the end of their lists', () => {
  const after = applyDataMapChanges(
    DATAMAP,
    [
      {
        kind: 'add_field',
        system: 'shop',
        collection: 'customers',
        field: { name: 'phone', categories: ['user.contact.phone_number'], review: true },
      },
      {
        kind: 'add_collection',
        system: 'shop',
        collection: {
          name: 'newsletter',
          primaryKey: ['email'],
          fields: [{ name: 'email', identity: 'email', categories: ['user.contact.email'], review: true }],
        },
      },
    ],
    'shop.yaml',
  );
  assert.deepEqual(changedLines(DATAMAP, after), [
    '+          - { name: phone, categories: [user.contact.phone_number], review: true }',
    '+      # Proposed by steward discover: confirm categories, add identities and erasure, remove review.',
    '+      - name: newsletter',
    '+        primaryKey: [email]',
    '+        review: true',
    '+        fields:',
    '+          - { name: email, identity: email, categories: [user.contact.email], review: true }',
  ]);
  const collections = parse(after).systems[0].collections;
  assert.deepEqual(
    collections.map((c: { name: string }) => c.name),
    ['customers', 'support_tickets', 'newsletter'],
  );
  assert.equal(collections[0].fields[2].name, 'phone');
});

test('a shape the line edits do not cover is still changed correctly, through the YAML document', () => {
  const flowFields = `systems:
  - id: shop
    kind: postgres
    collections:
      - { name: notes, primaryKey: [id], fields: [{ name: id }, { name: text, categories: [user.content] }] }
`;
  const after = applyDataMapChanges(
    flowFields,
    [
      {
        kind: 'set_categories',
        system: 'shop',
        collection: 'notes',
        field: 'text',
        categories: ['user.name'],
      },
    ],
    'shop.yaml',
  );
  assert.deepEqual(parse(after).systems[0].collections[0].fields[1], {
    name: 'text',
    categories: ['user.name'],
    review: true,
  });
});
