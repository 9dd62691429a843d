import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataMapProblem } from './datamap-problem.ts';
import { validateDataMapText } from './load-datamap.ts';

/** A postgres system `shop` whose collections are given as YAML lines (indented for `collections:`). */
function aShopWith(collections: string, connection = 'url: env:SHOP_DB_URL'): string {
  return `systems:\n  - id: shop\n    kind: postgres\n    connection: { ${connection} }\n    collections:\n${collections}`;
}

const customers = `      - name: customers
        primaryKey: [id]
        erasure: delete_row
        fields:
          - { name: id, type: bigint, nullable: false }
          - { name: email, type: varchar(255), nullable: false, categories: [user.contact.email], identity: email }
`;

function problemsOf(yaml: string): DataMapProblem[] {
  return validateDataMapText('shop.yaml', yaml).problems;
}

function onlyError(yaml: string): DataMapProblem {
  const errors = problemsOf(yaml).filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, `expected one error, got: ${JSON.stringify(errors, null, 2)}`);
  return errors[0] as DataMapProblem;
}

test('a valid shop has no problems', () => {
  assert.deepEqual(problemsOf(aShopWith(customers)), []);
});

test('an unknown category names the closest known ones', () => {
  const problem = onlyError(aShopWith(customers.replace('user.contact.email', 'user.email')));
  assert.equal(problem.code, 'datamap.unknown_data_category');
  assert.equal(problem.subject, 'shop.customers.email');
  assert.equal(problem.line, 11);
  assert.equal(problem.message, 'unknown data category "user.email" — did you mean "user.contact.email"?');
});

test('unknown data uses and data subjects are reported like categories', () => {
  const yaml = aShopWith(
    customers.replace(
      'erasure: delete_row',
      'erasure: delete_row\n        dataSubjects: [custmer]\n        purposes: [{ use: marketing.emails, legalBasis: consent }]',
    ),
  );
  const codes = problemsOf(yaml).map((p) => `${p.code} ${p.message}`);
  assert.deepEqual(codes.sort(), [
    'datamap.unknown_data_subject unknown data subject "custmer" — did you mean "customer"?',
    'datamap.unknown_data_use unknown data use "marketing.emails"',
  ]);
});

test('references to a missing system, collection or field each say which part is missing', () => {
  const referencing = (target: string) =>
    aShopWith(`${customers}      - name: orders
        fields:
          - { name: customer_id, type: bigint, references: [{ field: ${target} }] }
`);
  assert.equal(onlyError(referencing('billing.customers.id')).code, 'datamap.reference_missing_system');
  assert.match(
    onlyError(referencing('customer.id')).message,
    /names collection "customer", which system "shop" does not have — did you mean "customers"\?/,
  );
  const missingField = onlyError(referencing('customers.customer_id'));
  assert.equal(missingField.code, 'datamap.reference_missing_field');
  assert.equal(missingField.path, 'systems[0].collections[1].fields[0].references[0].field');
});

test('a collection with personal data and no way to reach it says why', () => {
  const isolated = aShopWith(`${customers}      - name: reviews
        fields:
          - { name: author_name, type: text, categories: [user.name] }
`);
  const problem = onlyError(isolated);
  assert.equal(problem.code, 'datamap.unreachable_collection');
  assert.equal(problem.subject, 'shop.reviews');
  assert.match(
    problem.message,
    /none of its fields is an identity, and no reference links it to another collection/,
  );

  const wrongWay = aShopWith(`${customers}      - name: reviews
        fields:
          - { name: author_name, type: text, categories: [user.name] }
          - { name: customer_id, type: bigint, references: [{ field: customers.id, direction: to }] }
`);
  assert.match(
    onlyError(wrongWay).message,
    /reference to shop\.customers points away from it \(direction: to\)/,
  );

  const viaChain = aShopWith(`${customers}      - name: orders
        fields:
          - { name: id, type: bigint }
          - { name: customer_id, type: bigint, references: [{ field: customers.id }] }
      - name: parcels
        fields:
          - { name: order_id, type: bigint, references: [{ field: orders.id }] }
          - { name: recipient_address, type: text, categories: [user.contact.address] }
`);
  assert.deepEqual(problemsOf(viaChain), [], 'two hops from an identity is reachable');
});

test('erasure strategies that do not fit the column are refused with the fix', () => {
  const withField = (field: string) =>
    aShopWith(customers.replace('          - { name: id', `          - ${field}\n          - { name: id`));

  const digest = onlyError(
    withField(
      '{ name: nickname, type: varchar(20), categories: [user.name], erasure: { strategy: hmac, key: env:NICK_KEY } }',
    ),
  );
  assert.equal(digest.code, 'datamap.erasure_misfit');
  assert.equal(digest.message, 'hmac (sha256) writes 64 hex characters, which do not fit varchar(20)');
  assert.match(digest.fix, /varchar\(64\)/);

  // GDPR Recital 26: an unkeyed digest of a guessable value is pseudonymisation, refused before any fit.
  const hash = onlyError(
    withField('{ name: nickname, type: varchar(100), categories: [user.name], erasure: hash }'),
  );
  assert.equal(hash.code, 'datamap.unkeyed_hash');
  assert.match(hash.fix, /hmac, key: secret:NAME/);

  assert.match(
    onlyError(
      withField(
        '{ name: age, type: integer, categories: [user.demographic], erasure: { strategy: fixed_value, value: unknown } }',
      ),
    ).message,
    /fixed_value "unknown" does not fit column type integer/,
  );
  assert.match(
    onlyError(
      withField(
        '{ name: country, type: char(2), categories: [user.contact.address.country], erasure: { strategy: fixed_value, value: "XXX" } }',
      ),
    ).message,
    /3 characters, longer than char\(2\)/,
  );
  assert.match(
    onlyError(
      withField('{ name: born, type: date, categories: [user.demographic.date_of_birth], erasure: random }'),
    ).message,
    /random cannot produce a value of type date/,
  );
  assert.match(
    onlyError(
      withField(
        '{ name: iban, type: varchar(34), categories: [user.financial.bank_account], erasure: { strategy: deterministic_encryption, key: env:DET_KEY } }',
      ),
    ).message,
    /longer than any value varchar\(34\) can hold/,
  );
  assert.deepEqual(
    problemsOf(
      withField(
        '{ name: tax_id, type: text, categories: [user.government_id], erasure: { strategy: hmac, key: env:HMAC_KEY } }',
      ),
    ),
    [],
  );
});

test('a NOT NULL column cannot be nulled, also not by the collection default', () => {
  const problem = onlyError(
    aShopWith(customers.replace('erasure: delete_row', 'erasure: { strategy: "null" }')),
  );
  assert.equal(problem.subject, 'shop.customers.email');
  assert.equal(
    problem.message,
    "strategy null on a NOT NULL column (the collection's default strategy applies to this field)",
  );
  assert.match(problem.fix, /give field "email" its own erasure strategy/);
});

test('duplicate systems, collections and fields are refused', () => {
  const twice = aShopWith(
    customers + customers.replace('fields:', 'fields:\n          - { name: id, type: bigint }'),
  );
  const codes = problemsOf(twice).map((p) => p.code);
  assert.deepEqual(codes, ['datamap.duplicate_collection']);

  const duplicateField = onlyError(
    aShopWith(customers.replace('fields:', 'fields:\n          - { name: email, type: text }')),
  );
  assert.equal(duplicateField.code, 'datamap.duplicate_field');

  const twoSystems = `${aShopWith(customers)}  - id: shop\n    kind: mysql\n    connection: { url: env:OTHER_SHOP_URL }\n`;
  const problem = onlyError(twoSystems);
  assert.equal(problem.code, 'datamap.duplicate_system');
  assert.equal(problem.path, 'systems[1].id');
});

test('plain-text credentials are refused without repeating them', () => {
  const inUrl = onlyError(aShopWith(customers, 'url: "postgres://shop:hunter2@db:5432/shop"'));
  assert.equal(inUrl.code, 'datamap.plain_credential');
  assert.equal(inUrl.path, 'systems[0].connection.url');
  assert.ok(!JSON.stringify(inUrl).includes('hunter2'));

  const asPassword = onlyError(aShopWith(customers, 'host: db, user: shop, password: hunter2'));
  assert.equal(asPassword.code, 'datamap.plain_credential');
  assert.ok(!JSON.stringify(asPassword).includes('hunter2'));
  assert.deepEqual(
    problemsOf(aShopWith(customers, 'host: db, user: shop, password: "file:/run/secrets/shop"')),
    [],
  );

  const crm = `systems:
  - id: crm
    kind: http
    connection: { baseUrl: "https://crm.example.com", headers: { X-Api-Key: abc123 } }
    collections:
      - name: contacts
        endpoints: { read: { email: { path: "/contacts?email={identity.email}", rowsPath: data } } }
        fields:
          - { name: email, categories: [user.contact.email], identity: email }
`;
  const header = onlyError(crm);
  assert.equal(header.code, 'datamap.plain_credential');
  assert.equal(header.message, 'header "X-Api-Key" holds a plain-text value');
  assert.deepEqual(problemsOf(crm.replace('X-Api-Key: abc123', 'X-Api-Key: { secret: env:CRM_KEY }')), []);
});

test('an http collection needs a read endpoint whose placeholders exist', () => {
  const crm = (endpoints: string) => `systems:
  - id: crm
    kind: http
    connection: { baseUrl: "https://crm.example.com" }
    collections:
      - name: contacts
${endpoints}        fields:
          - { name: id }
          - { name: email, categories: [user.contact.email], identity: email }
`;
  assert.equal(onlyError(crm('')).code, 'datamap.http_no_read_endpoint');
  assert.equal(
    onlyError(crm('        endpoints: { read: { email: { path: "/contacts/{identity.mail}" } } }\n')).code,
    'datamap.http_bad_placeholder',
  );
  assert.equal(
    onlyError(
      crm(
        '        endpoints: { read: { email: { path: "/c" } }, delete: { row: { method: DELETE, path: "/c/{row.uid}" } } }\n',
      ),
    ).code,
    'datamap.http_bad_placeholder',
  );
  assert.deepEqual(
    problemsOf(
      crm(
        '        endpoints: { read: { email: { path: "/c" } }, delete: { row: { method: DELETE, path: "/c/{row.id}" } } }\n',
      ),
    ),
    [],
  );
});

test('a retention rule can never delete data under a legal hold before the hold ends', () => {
  const orders = (retention: string) =>
    aShopWith(`${customers}      - name: invoices
        erasure: { strategy: keep, ground: legal_obligation, period: 10y, anchor: issued_at, reason: "§147 AO" }
        retention: ${retention}
        fields:
          - { name: customer_id, type: bigint, references: [{ field: customers.id }] }
          - { name: billing_name, type: text, categories: [user.name] }
          - { name: issued_at, type: date }
`);
  const early = onlyError(orders('{ keepFor: 3y, anchor: issued_at, action: delete }'));
  assert.equal(early.code, 'datamap.retention_breaks_hold');
  assert.equal(
    early.message,
    'retention would delete data after 3y, before the legal hold on the collection ends (10y, Art. 17(3)(b): §147 AO)',
  );
  assert.equal(early.fix, 'set keepFor to at least 10y');
  assert.deepEqual(problemsOf(orders('{ keepFor: 120m, anchor: issued_at, action: delete }')), []);
  assert.equal(
    onlyError(orders('{ keepFor: 11y, anchor: billing_name, action: delete }')).code,
    'datamap.anchor_not_date',
  );
  assert.equal(
    onlyError(orders('{ keepFor: 11y, anchor: issued_at, where: { status: closed }, action: delete }')).code,
    'datamap.retention_unknown_field',
  );
});

test('a field held by law cannot live in a collection erased by deleting rows', () => {
  const problem = onlyError(
    aShopWith(
      customers.replace(
        'identity: email }',
        'identity: email }\n          - { name: vat_id, type: text, categories: [user.government_id], erasure: { strategy: keep, ground: legal_claims, period: 3y, reason: "limitation period" } }',
      ),
    ),
  );
  assert.equal(problem.code, 'datamap.hold_in_deleted_row');
  assert.match(problem.message, /Art\. 17\(3\)\(e\)/);
});

test('structural mistakes point at the key: YAML syntax, unknown keys, wrong values', () => {
  const syntax = onlyError('systems:\n  - id: shop\n    kind: [postgres\n');
  assert.equal(syntax.code, 'datamap.yaml_syntax');
  assert.ok(syntax.line && syntax.line >= 3);

  const unknownKey = onlyError(aShopWith(customers.replace('primaryKey: [id]', 'primary_key: [id]')));
  assert.equal(unknownKey.message, 'unknown key "primary_key"');
  assert.equal(unknownKey.path, 'systems[0].collections[0]');

  const badStrategy = onlyError(
    aShopWith(customers.replace('erasure: delete_row', 'erasure: { strategy: shred }')),
  );
  assert.equal(badStrategy.path, 'systems[0].collections[0].erasure.strategy');
});
