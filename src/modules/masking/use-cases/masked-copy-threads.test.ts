import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readRunTables } from '../store/masking-run-store.ts';
import {
  anAdversarialShop,
  anEmptyTarget,
  maskingTestDeps,
  MASKING_KEY_REFERENCE,
  MASKING_TEST_ACTOR,
  SHOP_TABLES,
  tableContents,
  type EmptyTarget,
  type ShopSource,
} from '../test-support/masking-fixture.ts';
import { executeMaskingRun, type MaskingThreads } from './execute-masking-run.ts';
import type { MaskingDeps } from './masking-deps.ts';
import { requestMaskingRun } from './request-masking-run.ts';

describe('masked copy on worker threads (PostgreSQL)', () => {
  let shop: ShopSource;
  let steward: Awaited<ReturnType<typeof maskingTestDeps>>;
  let deps: MaskingDeps;
  const targets: EmptyTarget[] = [];

  /** A copy of the shop into a new database, masked where `threads` says; its contents and per-table profiles. */
  const copy = async (
    threads: MaskingThreads,
    subset?: { where: { table: string; condition: string }[]; percent: number },
  ) => {
    const target = await anEmptyTarget('postgres');
    targets.push(target);
    const id = await requestMaskingRun(deps, 'default', {
      sourceSystem: 'shop',
      target: { kind: 'database', url: target.url },
      actor: MASKING_TEST_ACTOR,
      options: {
        keyReference: MASKING_KEY_REFERENCE,
        locale: 'de',
        defaultCountry: 'DE',
        concurrency: 2,
        subset,
      },
    });
    const threadsByTable = new Map<string, number>();
    const outcome = await executeMaskingRun(
      { ...deps, onProgress: (p) => p.table && threadsByTable.set(p.table, p.threads ?? 1) },
      'default',
      id,
      threads,
    );
    assert.equal(outcome.kind, 'finished');
    const report = outcome.kind === 'finished' ? outcome.report : undefined;
    assert.equal(report?.state, 'completed', report?.error);
    const tables = (await readRunTables(deps.db, id)).map((table) => ({
      table: table.table,
      rows: table.rowsCopied,
      profiles: table.profiles,
    }));
    return {
      contents: await tableContents(target, 'postgres', SHOP_TABLES),
      tables,
      report: report!,
      threadsByTable,
    };
  };

  before(async () => {
    shop = await anAdversarialShop('postgres', 400);
    steward = await maskingTestDeps(shop.system);
    deps = steward.deps;
  });
  after(async () => {
    for (const target of targets) await target.drop();
    await steward?.close();
    await shop?.source.close();
  });

  it('writes the same copy and the same cardinality report as one thread, row for row', async () => {
    const single = await copy({ workers: 0 });
    // Every table with something to mask (but free text, whose detector lives on the calling thread) goes to the workers.
    const threaded = await copy({ workers: 2, workerMinRows: 0 });
    assert.deepEqual(
      [...threaded.threadsByTable]
        .filter(([, count]) => count === 2)
        .map(([table]) => table)
        .sort(),
      ['public.addresses', 'public.events', 'public.newsletter', 'public.newsletter_clicks', 'public.orders'],
    );
    assert.ok([...single.threadsByTable.values()].every((count) => count === 1));
    assert.deepEqual(threaded.contents, single.contents);
    assert.deepEqual(threaded.tables, single.tables);
    assert.deepEqual(threaded.report.cardinality, single.report.cardinality);
    assert.equal(threaded.report.leakCheck?.passed, true);
    const masked = threaded.tables.filter((table) => table.profiles.length > 0);
    assert.ok(masked.length >= 5 && masked.every((table) => table.profiles[0]!.source.rows === table.rows));
  });

  it('writes the same subset on worker threads', async () => {
    const subset = {
      where: [
        { table: 'customers', condition: 'id <= 300' },
        { table: 'events', condition: "kind <> 'login'" },
      ],
      percent: 40,
    };
    const single = await copy({ workers: 0 }, subset);
    const threaded = await copy({ workers: 2, workerMinRows: 0 }, subset);
    assert.deepEqual(threaded.contents, single.contents);
    assert.deepEqual(threaded.tables, single.tables);
    assert.ok(single.tables.find((table) => table.table.endsWith('.events'))!.rows > 0);
  });
});
