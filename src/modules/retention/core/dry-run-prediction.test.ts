import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createSourceSystem,
  SOURCE_KINDS,
  type TestSourceSystem,
} from '../../../../test/support/test-source-systems.ts';
import { createDataMapRegistry } from '../../../platform/datamap/datamap-registry.ts';
import { validateDataMapText } from '../../../platform/datamap/load-datamap.ts';
import { sweepCollection, type SweepProgress } from '../use-cases/sweep-collection.ts';
import { dryRunCollection } from './dry-run-collection.ts';
import { emptyCollectionReport } from './retention-run-types.ts';
import { planSweep } from './sweep-plan.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

/**
 * Issue 18 item 6: a dry run predicts the sweep. Accounts idle for a year are deleted unless an
 * order still points at them (RESTRICT); visitors' IPs older than 30 days are anonymised, some by
 * an earlier run already. The dry run's counts must be the run's counts, reasons included.
 */
for (const kind of SOURCE_KINDS) {
  describe(`retention dry run on ${kind}`, () => {
    let source: TestSourceSystem;
    before(async () => {
      source = await createSourceSystem(kind, 'app');
      await source.exec(`
        CREATE TABLE accounts (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, last_login_at DATE NOT NULL);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id));
        CREATE TABLE visitors (id INTEGER PRIMARY KEY, ip VARCHAR(45), seen_at DATE NOT NULL);
        INSERT INTO accounts VALUES (1, 'a@example.com', '2024-01-01'), (2, 'b@example.com', '2024-01-01'), (3, 'c@example.com', '2024-01-01'), (4, 'd@example.com', '2026-05-01');
        INSERT INTO orders VALUES (10, 1), (11, 1), (20, 2);
        INSERT INTO visitors VALUES (1, '10.0.0.1', '2026-01-01'), (2, NULL, '2026-01-01'), (3, NULL, '2026-01-02'), (4, '10.0.0.4', '2026-05-30');
      `);
    });
    after(() => source.close());

    const view = () =>
      createDataMapRegistry(
        validateDataMapText(
          'app.yaml',
          `
systems:
  - id: app
    kind: ${kind}
    connection: { url: env:TEST_RETENTION_APP_URL }
    collections:
      - name: accounts
        primaryKey: [id]
        retention: { keepFor: 1y, anchor: last_login_at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: email, type: varchar(100), identity: email, categories: [user.contact.email] }
          - { name: last_login_at, type: date }
      - name: orders
        primaryKey: [id]
        fields:
          - { name: id, type: integer }
          - { name: account_id, type: integer, references: [{ field: accounts.id, onDelete: no_action }] }
      - name: visitors
        primaryKey: [id]
        retention: { keepFor: 30d, anchor: seen_at, action: anonymise }
        fields:
          - { name: id, type: integer }
          - { name: ip, type: varchar(45), categories: [user.device.ip_address], erasure: "null" }
          - { name: seen_at, type: date }
`,
        ).dataMaps,
      ).forTenant('default');

    async function sweep(collection: string) {
      const plan = planSweep(view(), { system: 'app', collection }, NOW);
      const report = emptyCollectionReport(
        { system: 'app', collection },
        plan.ruleText,
        plan.action,
        plan.cutoff,
      );
      report.rowsSelected = await source.connector.count(plan.target, plan.due);
      const progress: SweepProgress = { cursor: null, pending: null, report };
      await sweepCollection(
        source.connector,
        plan,
        progress,
        { batchSize: 2, pauseMs: 0 },
        { record: async () => true },
      );
      return progress.report;
    }

    test('delete: referenced rows are predicted as kept, with the reason the sweep gives', async () => {
      process.env.TEST_RETENTION_APP_URL = source.url;
      const predicted = await dryRunCollection(
        source.connector,
        view(),
        planSweep(view(), { system: 'app', collection: 'accounts' }, NOW),
        5,
      );
      const run = await sweep('accounts');
      assert.deepEqual(
        {
          due: predicted.rowsDue,
          kept: predicted.rowsReferenced,
          reasons: predicted.referencedReasons,
          held: predicted.rowsHeld,
        },
        { due: run.rowsDeleted, kept: run.rowsKept, reasons: run.keptReasons, held: 0 },
      );
      assert.deepEqual([run.rowsDeleted, run.rowsKept], [1, 2]);
      assert.deepEqual(Object.keys(run.keptReasons), [
        'still referenced by orders (account_id, ON DELETE NO ACTION)',
      ]);
    });

    test('anonymise: rows an earlier run anonymised are shown as done, not held, and the run does exactly the rest', async () => {
      const predicted = await dryRunCollection(
        source.connector,
        view(),
        planSweep(view(), { system: 'app', collection: 'visitors' }, NOW),
        5,
      );
      assert.deepEqual([predicted.rowsDue, predicted.rowsAlreadyDone, predicted.rowsHeld], [1, 2, 0]);
      const run = await sweep('visitors');
      assert.equal(run.rowsAnonymised, predicted.rowsDue);
      const again = await dryRunCollection(
        source.connector,
        view(),
        planSweep(view(), { system: 'app', collection: 'visitors' }, NOW),
        5,
      );
      assert.deepEqual([again.rowsDue, again.rowsAlreadyDone, again.rowsHeld], [0, 3, 0]);
    });
  });
}
