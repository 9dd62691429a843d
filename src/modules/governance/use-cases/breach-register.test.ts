import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import {
  BREACH_SHOP_SQL,
  ensureGovernanceSchema,
  writeBreachShopFolder,
} from '../test-support/governance-fixture.ts';
import { assessBreach } from './assess-breach.ts';
import { closeBreach } from './close-breach.ts';
import { recordBreach } from './record-breach.ts';
import { recordBreachNotification } from './record-breach-notification.ts';
import { recountBreachSubjects } from './recount-breach-subjects.ts';
import { readBreachView } from './read-breach.ts';
import { sendBreachReminders } from './send-breach-reminders.ts';
import { updateBreachFacts } from './update-breach.ts';

const dpo = { kind: 'user' as const, id: 'dpo-1' };

describe('the breach register on PostgreSQL', () => {
  let source: TestSourceSystem;
  let testApp: TestApp;
  before(async () => {
    source = await createSourceSystem('postgres', 'shop');
    await source.exec(BREACH_SHOP_SQL);
    testApp = await startTestApp({ config: { datamap: { path: writeBreachShopFolder(source.url!) } } });
    await ensureGovernanceSchema(testApp.database.db);
  });
  after(async () => {
    await testApp?.close();
    await source?.close();
  });

  const aLeakedOrderExport = (awareAt = new Date(Date.now() - 3_600_000)) =>
    recordBreach(
      testApp.services,
      'default',
      {
        title: 'Order export left on a public share',
        description: 'A CSV export of orders and customers was reachable without login for two days.',
        nature: { confidentiality: true, integrity: false, availability: false },
        awareAt,
        affected: [
          { system: 'shop', collection: 'customers' },
          { system: 'shop', collection: 'orders' },
          { system: 'shop', collection: 'order_items' },
        ],
        contact: 'dpo@shop.example',
      },
      dpo,
    );

  test('counts distinct subjects across collections in the real system, as a hand-written query does', async () => {
    const breach = await aLeakedOrderExport();
    const counted = await recountBreachSubjects(testApp.services, 'default', breach.id, dpo);
    const [truth] = await source.query<{ n: string }>(
      'select count(*) as n from (select id from customers union select customer_id from orders) s',
    );
    assert.equal(counted.count?.subjects, Number(truth!.n));
    assert.equal(counted.count?.subjects, 500);
    // customers is affected as a whole and orders points to it by foreign key: its rows are the subjects.
    const orders = counted.count!.byCollection.find((c) => c.collection === 'orders')!;
    assert.deepEqual([orders.subjects, orders.records], [null, 1500]);
    assert.match(orders.note ?? '', /among the 500 of shop\.customers \(enforced foreign key\)/);
    assert.match(orders.subjectKey ?? '', /shop\.customers\.id \(customer_id\) via customer_id/);
    const items = counted.count!.byCollection.find((c) => c.collection === 'order_items')!;
    assert.deepEqual([items.subjects, items.records], [null, 3000]);
    assert.equal(counted.count?.records, 500 + 1500 + 3000);
    assert.equal(counted.categories.includes('user.financial'), true);
  });

  test('without the customers table, counts distinct subjects across orders and sessions by reading their subject columns', async () => {
    const breach = await recordBreach(
      testApp.services,
      'default',
      {
        title: 'Analytics export',
        description: 'Orders and sessions were exported to an analytics vendor without a contract.',
        nature: { confidentiality: true, integrity: false, availability: false },
        awareAt: new Date(),
        affected: [
          { system: 'shop', collection: 'orders' },
          { system: 'shop', collection: 'sessions' },
        ],
        contact: 'dpo@shop.example',
      },
      dpo,
    );
    const counted = await recountBreachSubjects(testApp.services, 'default', breach.id, dpo);
    const [truth] = await source.query<{ n: string }>(
      'select count(*) as n from (select customer_id from orders union select customer_id from sessions where customer_id is not null) s',
    );
    assert.equal(counted.count?.subjects, Number(truth!.n));
    assert.deepEqual(
      counted.count?.byCollection.map((c) => [c.collection, c.subjects]),
      [
        ['orders', 400],
        ['sessions', 360],
      ],
    );
  });

  test('counts only the rows of the window, and never the anonymous sessions as subjects', async () => {
    const breach = await recordBreach(
      testApp.services,
      'default',
      {
        title: 'Session log copied',
        description: 'Web server logs of one day were copied by a contractor.',
        nature: { confidentiality: true, integrity: false, availability: false },
        awareAt: new Date(),
        affected: [
          {
            system: 'shop',
            collection: 'sessions',
            window: { field: 'started_at', from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' },
          },
        ],
        contact: 'dpo@shop.example',
      },
      dpo,
    );
    const counted = await recountBreachSubjects(testApp.services, 'default', breach.id, dpo);
    const [truth] = await source.query<{ subjects: string; records: string }>(
      "select count(distinct customer_id) as subjects, count(*) as records from sessions where started_at >= '2026-03-05T00:00:00Z' and started_at < '2026-03-06T00:00:00Z'",
    );
    assert.equal(counted.count?.subjects, Number(truth!.subjects));
    assert.equal(counted.count?.records, Number(truth!.records));
  });

  test('a high risk with an Art. 34(3)(a) exception notifies the authority only; closing needs that notification', async () => {
    const breach = await aLeakedOrderExport();
    const assessed = await assessBreach(
      testApp.services,
      'default',
      breach.id,
      {
        likelihood: 3,
        severity: 3,
        exceptions: { unintelligible: 'the export was encrypted and the key was not shared' },
      },
      dpo,
    );
    assert.deepEqual(
      [assessed.decision?.notifyAuthority, assessed.decision?.notifySubjects, assessed.decision?.exception],
      [true, false, 'a'],
    );
    await updateBreachFacts(
      testApp.services,
      'default',
      breach.id,
      { measures: 'Share removed; access logs reviewed.' },
      dpo,
    );
    await assert.rejects(closeBreach(testApp.services, 'default', breach.id, dpo), {
      code: 'governance.breach_incomplete',
      message: /notification to the supervisory authority/,
    });
    await recordBreachNotification(
      testApp.services,
      'default',
      breach.id,
      {
        audience: 'authority',
        phase: 'initial',
        sentAt: new Date().toISOString(),
        reference: 'DPA-2026-1',
        summary: 'Initial notification',
      },
      dpo,
    );
    await recordBreachNotification(
      testApp.services,
      'default',
      breach.id,
      {
        audience: 'authority',
        phase: 'follow_up',
        sentAt: new Date().toISOString(),
        summary: 'Number of subjects',
      },
      dpo,
    );
    const closed = await closeBreach(testApp.services, 'default', breach.id, dpo);
    assert.equal(closed.state, 'closed');
    assert.deepEqual(
      closed.notifications.map((n) => n.phase),
      ['initial', 'follow_up'],
    );
    assert.deepEqual(
      closed.timeline.map((t) => t.kind),
      ['aware', 'assessed', 'updated', 'notified', 'notified', 'closed'],
    );
    const view = await readBreachView(testApp.services, 'default', breach.id);
    assert.equal(view.clock.state, 'met');
  });

  test('a notification after 72 hours is refused until the reasons for the delay are recorded (Art. 33(1))', async () => {
    const breach = await aLeakedOrderExport(new Date(Date.now() - 80 * 3_600_000));
    const late = {
      audience: 'authority' as const,
      phase: 'initial' as const,
      sentAt: new Date().toISOString(),
      summary: 'Initial',
    };
    await assert.rejects(recordBreachNotification(testApp.services, 'default', breach.id, late, dpo), {
      code: 'governance.delay_reason_required',
    });
    assert.equal((await readBreachView(testApp.services, 'default', breach.id)).clock.state, 'overdue');
    await updateBreachFacts(
      testApp.services,
      'default',
      breach.id,
      { delayReason: 'The share was found by an external researcher during a holiday shutdown.' },
      dpo,
    );
    const notified = await recordBreachNotification(testApp.services, 'default', breach.id, late, dpo);
    assert.equal(notified.notifications.length, 1);
    assert.equal((await readBreachView(testApp.services, 'default', breach.id)).clock.state, 'late');
  });

  test('reminders become outbox events once each, and an escalation follows the deadline', async () => {
    const awareAt = new Date('2026-03-27T09:00:00Z');
    const breach = await aLeakedOrderExport(awareAt);
    const first = await sendBreachReminders(testApp.services, new Date('2026-03-29T10:00:00Z'));
    const again = await sendBreachReminders(testApp.services, new Date('2026-03-29T10:05:00Z'));
    const late = await sendBreachReminders(testApp.services, new Date('2026-03-30T09:00:01Z'));
    assert.ok(first.sent >= 2);
    const events = await sql<{
      type: string;
      data: { breachId: string; hoursLeft: number; escalation: boolean };
    }>`select type, data from event_outbox where type like 'governance.%' order by stream_sequence`.execute(
      testApp.database.db,
    );
    const mine = events.rows.filter((e) => e.data.breachId === breach.id);
    assert.deepEqual(
      mine.map((e) => [e.type, e.data.hoursLeft ?? null]),
      [
        ['governance.breach_detected', null],
        ['governance.breach_deadline_approaching', 48],
        ['governance.breach_deadline_approaching', 24],
        ['governance.breach_deadline_approaching', 6],
        ['governance.breach_deadline_approaching', 1],
        ['governance.breach_deadline_approaching', 0],
      ],
    );
    assert.equal(mine.at(-1)?.data.escalation, true);
    assert.equal(again.sent, 0);
    assert.ok(late.sent >= 3);
    const audits = await sql<{
      action: string;
    }>`select action from audit_pending where action like 'governance.breach.%'`.execute(testApp.database.db);
    assert.ok(audits.rows.some((a) => a.action === 'governance.breach.recorded'));
  });

  test('refuses to count a collection the data map no longer declares, rather than recording 0 subjects', async () => {
    const breach = await aLeakedOrderExport();
    // The data map changed after the breach was recorded (or this process loaded another one).
    await sql`update governance_breaches
      set details = jsonb_set(details, '{affected}', details->'affected' || '[{"system":"shop","collection":"invoices"}]')
      where id = ${breach.id}`.execute(testApp.database.db);

    await assert.rejects(
      recountBreachSubjects(testApp.services, 'default', breach.id, dpo),
      (error: Error) => {
        assert.equal((error as Error & { code?: string }).code, 'governance.unknown_collection');
        assert.match(error.message, /shop\.invoices is not in the data map.*nothing was recorded/);
        return true;
      },
    );
    const view = await readBreachView(testApp.services, 'default', breach.id);
    assert.equal(view.count, undefined);
    assert.equal(
      view.timeline.some((entry) => entry.kind === 'counted'),
      false,
    );
  });

  test('refuses an affected collection that is not in the data map', async () => {
    await assert.rejects(
      recordBreach(
        testApp.services,
        'default',
        {
          title: 't',
          description: 'd',
          nature: { confidentiality: true, integrity: false, availability: false },
          awareAt: new Date(),
          affected: [{ system: 'shop', collection: 'invoices' }],
          contact: 'x',
        },
        dpo,
      ),
      { code: 'governance.unknown_collection' },
    );
  });
});
