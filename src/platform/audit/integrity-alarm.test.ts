import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { anAuditSetup, anErasureRequestEvent } from '../../../test/support/audit-fixtures.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import type { AuditServices } from './audit-services.ts';
import { auditCheckpointJob, auditVerifyJob } from './audit-checkpoint-job.ts';
import { auditConfigFor, loadCheckpointSigner, loadPseudonymKey } from './audit-keys.ts';
import { INTEGRITY_VIOLATIONS } from './integrity-findings.ts';
import { recordAuditEvent } from './record-audit-event.ts';
import { verifyLogInDatabase } from './verify-log-in-database.ts';
import { NEWSLETTER_NOTICE_BODY } from '../../../test/support/notice-bodies.ts';

/**
 * Issue 12, items 10 and 11: a rewritten audit log raises an alarm (event, counter, /readyz
 * degraded) instead of a warning that repeats every minute, and a consent ledger entry changed
 * behind Steward's back (a superuser with triggers off) is found by the audit verification.
 */
describe('the audit log integrity alarm', () => {
  let t: TestApp;
  const setup = anAuditSetup();
  const quiet = createLogger({ level: 'silent' });
  before(async () => {
    process.env.STEWARD_MASTER_KEY ??= randomBytes(32).toString('base64');
    t = await startTestApp({ config: { audit: setup.config } });
  });
  after(async () => {
    await t.close();
    setup.remove();
  });

  const runJob = (job: typeof auditCheckpointJob) =>
    job.handle(
      {},
      {
        jobId: 'test',
        attempt: 0,
        signal: new AbortController().signal,
        logger: quiet,
        worker: 'test',
        services: t.services as AuditServices,
      },
    );
  const readiness = async () =>
    (await t.app.inject({ url: '/readyz' })).json() as { status: string; checks: Record<string, string> };
  const alarms = async () =>
    (
      await t.database.db
        .selectFrom('event_outbox')
        .select(['type', 'data'])
        .where('type', '=', 'audit.integrity.violated')
        .execute()
    ).map((e) => e.data as { tenant: string; check: string; problems: string[] });
  /** The alarms this process counted, as Prometheus would scrape them. */
  const violations = async (check: string) =>
    (await t.services.metrics.counter(INTEGRITY_VIOLATIONS).get()).values.find(
      (v) => v.labels.check === check,
    )?.value ?? 0;
  const keys = () => {
    const audit = auditConfigFor(t.services.config);
    const signer = loadCheckpointSigner(audit);
    return {
      audit,
      keys: {
        pseudonymKey: loadPseudonymKey(audit),
        signer: { name: signer.name, publicKey: signer.publicKey },
      },
    };
  };

  test('a consent ledger entry changed by a superuser with triggers off no longer matches the leaf that anchored it', async () => {
    const owner = await t.headers('owner');
    const notice = await t.app.inject({
      method: 'POST',
      url: '/v1/consent/notices',
      headers: owner,
      payload: NEWSLETTER_NOTICE_BODY,
    });
    assert.equal(notice.statusCode, 201, notice.body);
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: '/v1/consent/records',
      headers: owner,
      payload: {
        subject: 'user-77',
        source: 'web',
        changes: [{ purpose: 'marketing.communications.email', action: 'withdrawn' }],
      },
    });
    assert.equal(withdrawn.statusCode, 201, withdrawn.body);
    const ledgerId = withdrawn.json().entries[0].id as string;
    await runJob(auditCheckpointJob);
    const { audit, keys: verificationKeys } = keys();
    const intact = await verifyLogInDatabase(t.database.db, audit, verificationKeys, 'default');
    assert.deepEqual(intact.problems, []);
    assert.ok(intact.anchors >= 1, 'the consent entry is anchored');

    await t.database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update consent_ledger set action = 'given' where id = ${ledgerId}`.execute(trx);
    });
    const found = await verifyLogInDatabase(t.database.db, audit, verificationKeys, 'default');
    assert.equal(found.ok, false);
    assert.ok(
      found.problems.some((p) => p.includes(`consent_ledger ${ledgerId} was changed after entry`)),
      found.problems.join('\n'),
    );

    const before = await violations('full');
    await runJob(auditVerifyJob);
    assert.equal(await violations('full'), before + 1, 'the nightly check raised the alarm');
    assert.ok((await alarms()).some((a) => a.check === 'full'));
    const degraded = await readiness();
    assert.equal(degraded.status, 'degraded');
    assert.match(degraded.checks.audit ?? '', /default \(full check/);

    // Put back, the next check clears the finding and the instance is ready again.
    await t.database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update consent_ledger set action = 'withdrawn' where id = ${ledgerId}`.execute(trx);
    });
    await runJob(auditVerifyJob);
    assert.equal((await readiness()).status, 'ready');
  });

  test('a log rewritten below its signed checkpoint raises the alarm once, and /readyz says degraded while the finding stands', async () => {
    for (let n = 0; n < 5; n++)
      await t.database.db
        .transaction()
        .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(n, `email:cy${n}@example.com`)));
    await runJob(auditCheckpointJob);
    assert.equal((await readiness()).status, 'ready');

    // The rows go, and the log starts over: internally consistent, but smaller than what was signed.
    await sql`delete from audit_entry_details where tenant_id = 'default'`.execute(t.database.db);
    await sql`delete from audit_tree_nodes where tenant_id = 'default'`.execute(t.database.db);
    await sql`delete from audit_entries where tenant_id = 'default'`.execute(t.database.db);
    await sql`delete from audit_tree_state where tenant_id = 'default'`.execute(t.database.db);
    await t.database.db.transaction().execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(99)));

    const before = await violations('checkpoint');
    const alarmsBefore = (await alarms()).length;
    await runJob(auditCheckpointJob);
    await runJob(auditCheckpointJob);
    assert.equal(await violations('checkpoint'), before + 1, 'one alarm, not one a minute');
    const raised = (await alarms()).slice(alarmsBefore);
    assert.equal(raised.length, 1);
    assert.equal(raised[0]!.check, 'checkpoint');
    assert.match(raised[0]!.problems[0]!, /not an extension of its signed checkpoint/);
    const degraded = await readiness();
    assert.equal(degraded.status, 'degraded');
    assert.match(degraded.checks.audit ?? '', /integrity violated: default \(checkpoint check/);
    assert.equal((await t.app.inject({ url: '/readyz' })).statusCode, 200, 'degraded, still serving');
  });
});
