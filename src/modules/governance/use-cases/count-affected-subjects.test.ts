import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { ConnectorRegistry } from '../../../platform/connectors/connector-registry.ts';
import type { DataMapRegistry } from '../../../platform/datamap/datamap-types.ts';
import { loadDataMap } from '../../../platform/datamap/load-datamap.ts';
import { countAffectedSubjects } from './count-affected-subjects.ts';
import type { GovernanceCountingDeps } from './governance-deps.ts';

/**
 * Ann is on the shop's newsletter as Ann@Example.com, among its contacts as ann@example.com and a
 * lead in the CRM (MariaDB) as ANN@example.COM; Bob is in both shop tables in two spellings. Her
 * mobile number is stored nationally in the shop and internationally in the CRM.
 */
const SHOP_SQL = `
  create table newsletter (id integer primary key, email text);
  insert into newsletter values (1, 'Ann@Example.com'), (2, 'bob@example.com'), (3, 'carl@example.com'), (4, null);
  create table contacts (id integer primary key, email varchar(200) not null);
  insert into contacts values (1, 'ann@example.com'), (2, 'BOB@EXAMPLE.COM'), (3, 'dora@example.com');
  create table sms_optins (id integer primary key, mobile text);
  insert into sms_optins values (1, '06 44 58 92 42'), (2, '+33 7 12 34 56 78'), (3, 'n/a');
  create table accounts (id integer primary key, user_ref integer);
  insert into accounts values (1, 1), (2, 2);
  create table app_events (id integer primary key, user_ref text);
  insert into app_events values (1, '2'), (2, '3'), (3, '3');`;
const CRM_SQL = `
  create table leads (id integer primary key, email varchar(200) not null);
  insert into leads values (1, 'ANN@example.COM'), (2, 'erin@example.com');
  create table subscribers (id integer primary key, email text);
  insert into subscribers values (1, 'Erin@Example.com'), (2, 'ann@example.com'), (3, null);
  create table callbacks (id integer primary key, mobile varchar(40));
  insert into callbacks values (1, '+33644589242'), (2, '0033 6 99 88 77 66');`;

function dataMapOf(shopUrl: string, crmUrl: string): string {
  const purposes = '[{ use: marketing.communications.email, legalBasis: consent }]';
  const table = (name: string, column: string, identity: string, type: string) => `
      - name: ${name}
        primaryKey: [id]
        purposes: ${purposes}
        fields:
          - { name: id, type: integer }
          - { name: ${column}, type: "${type}", identity: ${identity}, categories: [user.contact] }`;
  return `version: 1
tenant: default
identities:
  mobile: { match: e164, region: FR }
systems:
  - id: shop
    kind: postgres
    connection: { url: "${shopUrl}" }
    collections:${table('newsletter', 'email', 'email', 'text')}${table('contacts', 'email', 'email', 'varchar(200)')}${table('sms_optins', 'mobile', 'mobile', 'text')}${table('accounts', 'user_ref', 'user_id', 'integer')}${table('app_events', 'user_ref', 'user_id', 'text')}
  - id: crm
    kind: mysql
    connection: { url: "${crmUrl}" }
    collections:${table('leads', 'email', 'email', 'varchar(200)')}${table('subscribers', 'email', 'email', 'text')}${table('callbacks', 'mobile', 'mobile', 'varchar(40)')}
`;
}

describe('affected subjects told apart by their identity, as an access request finds them', () => {
  let shop: TestSourceSystem;
  let crm: TestSourceSystem;
  let folder: string;
  let dataMaps: DataMapRegistry;
  const connectors = new ConnectorRegistry();
  before(async () => {
    shop = await createSourceSystem('postgres', 'shop');
    crm = await createSourceSystem('mysql', 'crm');
    await shop.exec(SHOP_SQL);
    await crm.exec(CRM_SQL);
    folder = mkdtempSync(join(tmpdir(), 'steward-breach-count-'));
    mkdirSync(join(folder, 'datamap'));
    writeFileSync(join(folder, 'datamap', 'systems.yaml'), dataMapOf(shop.url, crm.url));
    dataMaps = loadDataMap([join(folder, 'datamap')]);
  });
  after(async () => {
    await connectors.closeAll();
    await shop?.close();
    await crm?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const count = (affected: { system: string; collection: string }[]) =>
    countAffectedSubjects({ dataMaps, connectors } as unknown as GovernanceCountingDeps, 'default', affected);
  const perCollection = (counted: Awaited<ReturnType<typeof count>>) =>
    counted.byCollection.map((c) => [`${c.system}.${c.collection}`, c.subjects, c.records]);

  test('e-mails in different letter cases in two collections of one system are one subject each', async () => {
    const counted = await count([
      { system: 'shop', collection: 'newsletter' },
      { system: 'shop', collection: 'contacts' },
    ]);
    const [truth] = await shop.query<{ n: string }>(
      'select count(distinct lower(email)) as n from (select email from newsletter union all select email from contacts) s',
    );
    assert.equal(counted.subjects, Number(truth!.n));
    assert.equal(counted.subjects, 4); // ann, bob, carl, dora
    assert.deepEqual(perCollection(counted), [
      ['shop.newsletter', 3, 4],
      ['shop.contacts', 3, 3],
    ]);
    assert.equal(counted.records, 7);
  });

  test('an identity held as a number in one table and as text in another is compared as text', async () => {
    const counted = await count([
      { system: 'shop', collection: 'accounts' },
      { system: 'shop', collection: 'app_events' },
    ]);
    assert.equal(counted.subjects, 3); // users 1, 2 and 3
    assert.deepEqual(perCollection(counted), [
      ['shop.accounts', 2, 2],
      ['shop.app_events', 2, 3],
    ]);
  });

  test('MariaDB counts them in one statement too', async () => {
    const counted = await count([
      { system: 'crm', collection: 'leads' },
      { system: 'crm', collection: 'subscribers' },
    ]);
    assert.equal(counted.subjects, 2); // ann, erin
    assert.deepEqual(perCollection(counted), [
      ['crm.leads', 2, 2],
      ['crm.subscribers', 2, 3],
    ]);
  });

  test('the same person in a second system is still counted once', async () => {
    const counted = await count([
      { system: 'shop', collection: 'newsletter' },
      { system: 'shop', collection: 'contacts' },
      { system: 'crm', collection: 'leads' },
    ]);
    assert.equal(counted.subjects, 5); // ann (three spellings, two systems), bob, carl, dora, erin
    assert.deepEqual(perCollection(counted), [
      ['shop.newsletter', 3, 4],
      ['shop.contacts', 3, 3],
      ['crm.leads', 2, 2],
    ]);
  });

  test('a regional phone number written nationally in one system and internationally in another is one subject', async () => {
    const counted = await count([
      { system: 'shop', collection: 'sms_optins' },
      { system: 'crm', collection: 'callbacks' },
    ]);
    // +33644589242 (both systems), +33712345678, +33699887766; 'n/a' is nobody's number.
    assert.equal(counted.subjects, 3);
    assert.deepEqual(perCollection(counted), [
      ['shop.sms_optins', 2, 3],
      ['crm.callbacks', 2, 2],
    ]);
  });
});
