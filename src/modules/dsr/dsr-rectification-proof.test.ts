import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CRM_DATA,
  CRM_TABLES,
  KEYS,
  SHOP_DATA,
  SHOP_TABLES,
  adversarialDataMapYaml,
  crmSchema,
  shopSchema,
} from '../../../test/fixtures/dsr/adversarial-systems.ts';
import {
  assertOnlyExpectedChanges,
  snapshotOf,
  type ExpectedChanges,
  type Snapshot,
} from '../../../test/fixtures/dsr/table-snapshots.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../test/support/test-source-systems.ts';
import { ConnectorRegistry } from '../../platform/connectors/connector-registry.ts';
import type { DataMap } from '../../platform/datamap/datamap-types.ts';
import { validateDataMapText } from '../../platform/datamap/load-datamap.ts';
import type { Correction, DsrPlan } from './core/planning/dsr-plan.ts';
import type { PlanFacts } from './core/planning/plan-facts.ts';
import { planRectification } from './core/planning/plan-rectification.ts';
import { ambiguousRectifications } from './use-cases/execution/check-rectification-rows.ts';
import type { RectificationReport } from './use-cases/execution/execution-report.ts';
import { readPlanFacts } from './use-cases/execution/read-plan-facts.ts';
import { runRectificationForSystem } from './use-cases/execution/run-rectification.ts';

process.env.TEST_ADVERSARIAL_HMAC_KEY = 'adversarial-hmac-key-0123456789abcdef';
const ANN = { email: ['ANN.martin@example.com'] };

/**
 * Issue 18 items 1–4 on the adversarial PostgreSQL shop and MariaDB CRM: each rectification is
 * planned with the live catalogs, checked for rows it would guess, run, and followed by a full
 * before/after comparison of every table of both systems: only the requester's own fields on the
 * intended rows change.
 */
describe('rectification changes only the requester’s own fields on the intended rows', () => {
  let shop: TestSourceSystem;
  let crm: TestSourceSystem;
  let dataMap: DataMap;
  let facts: PlanFacts;
  const connectors = new ConnectorRegistry();
  let state: { shop: Snapshot; crm: Snapshot };

  const snapshots = async () => ({
    shop: await snapshotOf(shop, SHOP_TABLES, KEYS),
    crm: await snapshotOf(crm, CRM_TABLES, KEYS),
  });
  const connectorOf = (id: string) =>
    connectors.forSystem(
      'default',
      dataMap.systems.find((s) => s.id === id)!,
    );

  before(async () => {
    shop = await createSourceSystem('postgres', 'shop');
    crm = await createSourceSystem('mysql', 'crm');
    await shop.exec(shopSchema('postgres'));
    await shop.exec(SHOP_DATA);
    await crm.exec(crmSchema('mysql'));
    await crm.exec(CRM_DATA);
    process.env.TEST_ADVERSARIAL_SHOP_URL = shop.url;
    process.env.TEST_ADVERSARIAL_CRM_URL = crm.url;
    dataMap = validateDataMapText('systems.yaml', adversarialDataMapYaml('env:TEST_ADVERSARIAL_HMAC_KEY'))
      .dataMaps[0]!;
    facts = await readPlanFacts(dataMap, {
      connectorFor: (system) => connectors.forSystem('default', system),
    });
    state = await snapshots();
  });
  after(async () => {
    await connectors.closeAll();
    await shop?.close();
    await crm?.close();
  });

  const plan = (corrections: Correction[], identities: Record<string, string[]> = ANN) =>
    planRectification(dataMap, identities, corrections, facts);

  async function rectify(planned: DsrPlan): Promise<Record<string, RectificationReport>> {
    assert.deepEqual(planned.errors, []);
    const reports: Record<string, RectificationReport> = {};
    for (const system of planned.systems)
      reports[system.system] = await runRectificationForSystem(
        planned,
        system.system,
        connectorOf(system.system),
      );
    return reports;
  }

  async function assertChanges(expected: { shop?: ExpectedChanges; crm?: ExpectedChanges }) {
    const now = await snapshots();
    assertOnlyExpectedChanges(state.shop, now.shop, expected.shop ?? {});
    assertOnlyExpectedChanges(state.crm, now.crm, expected.crm ?? {});
    state = now;
  }

  test('by category: two addresses are not both rewritten unless the request names the row; the gift recipient’s street in her orders is not hers', async () => {
    const street = { target: { category: 'user.contact.address.street' }, value: '5 Rue Neuve' } as const;
    const guessing = plan([street]);
    assert.deepEqual(guessing.errors, []);
    assert.ok(
      guessing.notes.some((n) =>
        n.message.startsWith('orders.gift_recipient_street describes another person (gift_recipient)'),
      ),
      JSON.stringify(guessing.notes),
    );
    const ambiguous = await ambiguousRectifications(guessing, connectorOf);
    assert.equal(ambiguous.length, 1);
    assert.match(
      ambiguous[0]!,
      /^shop\.addresses holds 2 rows of the subject, and the correction of street names none of them/,
    );
    // Run anyway (as an older plan would be): the ambiguous change is refused, nothing is written.
    const refused = await rectify(guessing);
    assert.deepEqual(refused.shop!.collections, []);
    assert.match(refused.shop!.notChanged[0]!.reason, /the subject has 2 rows in addresses \(id: 10, 11\)/);
    await assertChanges({});

    const named = await rectify(plan([{ ...street, rows: [{ collection: 'addresses', key: { id: 10 } }] }]));
    assert.deepEqual(named.shop!.collections, [
      { collection: 'addresses', rowsUpdated: 1, fields: ['street'] },
    ]);
    await assertChanges({ shop: { addresses: { changed: { '10': { street: '5 Rue Neuve' } } } } });
  });

  test('by identity: a key column holding the identity is an error that stops the whole plan', async () => {
    const planned = plan([{ target: { identity: 'email' }, value: 'ann@new.example' }]);
    assert.deepEqual(
      planned.errors.map((e) => [e.code, e.system, e.collection]),
      [['rectification.key_field', 'crm', 'newsletter']],
    );
    await assertChanges({});
  });

  test('by identity without the key column: every field holding her e-mail, in both systems, and nothing of the gift recipient’s', async () => {
    const limited = structuredClone(dataMap);
    limited.systems.find((s) => s.id === 'crm')!.collections = limited.systems
      .find((s) => s.id === 'crm')!
      .collections.filter((c) => c.name !== 'newsletter');
    const planned = planRectification(
      limited,
      ANN,
      [{ target: { identity: 'email' }, value: 'ann@new.example' }],
      facts,
    );
    const reports = await rectify(planned);
    assert.deepEqual(
      reports.shop!.collections.map((c) => [c.collection, c.rowsUpdated]),
      [
        ['customers', 1],
        ['support_tickets', 1],
      ],
    );
    await assertChanges({
      shop: {
        customers: { changed: { '1': { email: 'ann@new.example' } } },
        support_tickets: { changed: { '1': { email: 'ann@new.example' } } },
      },
      crm: { contacts: { changed: { '1': { email: 'ann@new.example' } } } },
    });
  });

  test('JSON by declared path, an unfit value skipped with its reason, and the valid corrections applied regardless', async () => {
    const reports = await rectify(
      plan(
        [
          { target: { category: 'user.contact.phone_number' }, value: '+33 6 00 00 00 01' },
          { target: { category: 'user.behavior' }, value: 'night owl' },
          { target: { system: 'shop', collection: 'customers', field: 'name' }, value: 'Ann Martin-Roy' },
        ],
        { email: ['ann@new.example'] },
      ),
    );
    assert.deepEqual(
      reports.shop!.notChanged.map((n) => [n.collection, n.fields.join(), n.reason.split(',')[0]]),
      [['customer_prefs', 'settings', 'a JSON column is corrected at declared paths only']],
    );
    assert.deepEqual(
      reports.crm!.notChanged.map((n) => [n.collection, n.fields.join(), n.reason]),
      [
        ['call_log', 'called_at', 'the column (datetime) holds ISO 8601 timestamps'],
        [
          'contact_prefs',
          'settings',
          "a JSON column is corrected at declared paths only, and none of settings's paths (address.city) holds user.behavior",
        ],
      ],
    );
    await assertChanges({
      shop: {
        customers: { changed: { '1': { phone: '+33 6 00 00 00 01', name: 'Ann Martin-Roy' } } },
        customer_prefs: {
          changed: {
            '1': { settings: '{"contact":{"phone":"+33 6 00 00 00 01"},"newsletter":true,"theme":"dark"}' },
          },
        },
      },
      crm: { contacts: { changed: { '1': { phone: '+33 6 00 00 00 01' } } } },
    });
  });

  test('an explicit field of the gift recipient on someone else’s order is hers to correct; her own rows are not touched by it', async () => {
    const reports = await rectify(
      plan(
        [
          {
            target: { system: 'shop', collection: 'orders', field: 'gift_recipient_name' },
            value: 'Ann Martin-Roy',
          },
        ],
        {
          email: ['ann@new.example'],
        },
      ),
    );
    // Bob's order 201 names her by her old e-mail: no longer hers to find, so nothing changes.
    assert.deepEqual(reports.shop!.collections, [
      { collection: 'orders', about: 'gift_recipient', rowsUpdated: 0, fields: ['gift_recipient_name'] },
    ]);
    const byOld = await rectify(
      plan(
        [
          {
            target: { system: 'shop', collection: 'orders', field: 'gift_recipient_name' },
            value: 'Ann Martin-Roy',
          },
        ],
        {
          email: ['ann.martin@example.com'],
        },
      ),
    );
    assert.deepEqual(byOld.shop!.collections, [
      { collection: 'orders', about: 'gift_recipient', rowsUpdated: 1, fields: ['gift_recipient_name'] },
    ]);
    await assertChanges({
      shop: { orders: { changed: { '201': { gift_recipient_name: 'Ann Martin-Roy' } } } },
    });
  });
});
