import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { createKeyedDigest } from '../core/keyed-digest.ts';
import { sampledIn } from '../core/subset-state.ts';
import { readRunTables, reopenMaskingRun } from '../store/masking-run-store.ts';
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
import { copyMaskedDatabase, writeMaskedDump } from './copy-masked-database.ts';
import { executeMaskingRun } from './execute-masking-run.ts';
import type { MaskingDeps } from './masking-deps.ts';
import { requestMaskingRun } from './request-masking-run.ts';

const OPTIONS = { keyReference: MASKING_KEY_REFERENCE, locale: 'de', defaultCountry: 'DE', concurrency: 1 };
const CHILD = fileURLToPath(new URL('../test-support/run-masking-child.ts', import.meta.url));

describe('masked copy: subsets, dumps and crashes (PostgreSQL)', () => {
  let shop: ShopSource;
  let steward: Awaited<ReturnType<typeof maskingTestDeps>>;
  let deps: MaskingDeps;
  const targets: EmptyTarget[] = [];
  const aTarget = async () => {
    const target = await anEmptyTarget('postgres');
    targets.push(target);
    return target;
  };

  before(async () => {
    shop = await anAdversarialShop('postgres', 1500);
    steward = await maskingTestDeps(shop.system);
    deps = steward.deps;
  });
  after(async () => {
    for (const target of targets) await target.drop();
    await steward?.close();
    await shop?.source.close();
  });

  it('keeps a consistent subset: seeds sampled, their rows followed, every reference closed', async () => {
    const target = await aTarget();
    const report = await copyMaskedDatabase(deps, 'default', {
      sourceSystem: 'shop',
      targetUrl: target.url,
      actor: MASKING_TEST_ACTOR,
      options: {
        ...OPTIONS,
        subset: { where: [{ table: 'customers', condition: 'id <= 200' }], percent: 10 },
      },
    });
    assert.equal(report.state, 'completed', report.error);
    const digest = createKeyedDigest(Buffer.from(process.env.STEWARD_TEST_MASKING_KEY!, 'utf8'));
    const seeds = Array.from({ length: 200 }, (_, i) => i + 1).filter((id) =>
      sampledIn(digest, 'public.customers', String(id), 10),
    );
    const ids = async (sql: string) =>
      new Set((await target.query<{ id: number }>(sql)).map((row) => Number(row.id)));
    const customers = await ids('select id from customers');
    assert.ok(
      seeds.every((id) => customers.has(id)),
      'every sampled seed is kept',
    );
    assert.ok(customers.size > seeds.length, 'referrers and gift recipients were pulled in by the closure');
    // Orders follow the seeds exactly; rows pulled in by a reference bring no dependants of their own.
    const expectedOrders = await shop.source.query<{ id: number }>(
      `select id from orders where customer_id = any($1::int[])`,
      [seeds],
    );
    assert.deepEqual(
      [...(await ids('select id from orders'))].sort((a, b) => a - b),
      expectedOrders.map((r) => Number(r.id)).sort((a, b) => a - b),
    );
    // The size reported before copying is what was copied.
    for (const table of report.plan!.tables.filter((t) => t.exact)) {
      assert.equal(report.tables.find((t) => t.table === table.table)!.rowsCopied, table.rows, table.table);
    }
    assert.ok(
      report.rowsCopied <
        (await shop.source.query<{ n: number }>('select count(*)::int as n from orders'))[0]!.n * 4,
    );
  });

  it('writes a pg_dump-compatible file that psql loads into a fresh database, equal to a database copy', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'steward-mask-')), 'shop.sql');
    const report = await writeMaskedDump(deps, 'default', {
      sourceSystem: 'shop',
      path: file,
      actor: MASKING_TEST_ACTOR,
      options: OPTIONS,
    });
    assert.equal(report.state, 'completed', report.error);
    const loaded = await createPostgresDatabase('steward_mask_dump');
    try {
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', loaded.url, '-f', file], {
        stdio: 'pipe',
      });
      const direct = await aTarget();
      assert.equal(
        (
          await copyMaskedDatabase(deps, 'default', {
            sourceSystem: 'shop',
            targetUrl: direct.url,
            actor: MASKING_TEST_ACTOR,
            options: OPTIONS,
          })
        ).state,
        'completed',
      );
      const fromDump = await anEmptyTargetOn(loaded.url);
      assert.deepEqual(
        await tableContents(fromDump, 'postgres', SHOP_TABLES),
        await tableContents(direct, 'postgres', SHOP_TABLES),
      );
      const constraints = await fromDump.query<{ n: number }>(
        "select count(*)::int as n from pg_constraint where contype in ('p', 'u', 'f', 'c') and connamespace = 'public'::regnamespace",
      );
      const expected = await shop.source.query<{ n: number }>(
        "select count(*)::int as n from pg_constraint where contype in ('p', 'u', 'f', 'c') and connamespace = 'public'::regnamespace",
      );
      assert.equal(constraints[0]!.n, expected[0]!.n);
      await fromDump.drop();
    } finally {
      await loaded.drop();
    }
  });

  it('resumes a copy whose process was killed mid-table and ends with the same copy as an uninterrupted run', async () => {
    const crashed = await aTarget();
    const runId = await requestMaskingRun(deps, 'default', {
      sourceSystem: 'shop',
      target: { kind: 'database', url: crashed.url },
      actor: MASKING_TEST_ACTOR,
      options: OPTIONS,
    });
    const child = spawn(process.execPath, [CHILD, steward.stewardUrl, 'default', runId], {
      env: { ...process.env, STEWARD_TEST_MASKING_SYSTEM: JSON.stringify(shop.system) },
      stdio: 'inherit',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it (no cleanup, as a crash) once one table is written and another is being written.
    for (;;) {
      const tables = await readRunTables(deps.db, runId);
      if (tables.some((t) => t.state === 'done') && tables.some((t) => t.state === 'copying')) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const before = await readRunTables(deps.db, runId);
    assert.ok(
      before.some((t) => t.state !== 'done'),
      'the copy was interrupted',
    );
    // The dead process's lease would run out after a minute; the test does not wait for it.
    await deps.db
      .updateTable('masking_runs')
      .set({ lease_until: new Date(Date.now() - 1000) })
      .where('id', '=', runId)
      .execute();
    const outcome = await executeMaskingRun(deps, 'default', runId);
    assert.equal(outcome.kind, 'finished');
    assert.equal(outcome.kind === 'finished' && outcome.report.state, 'completed');
    const clean = await aTarget();
    assert.equal(
      (
        await copyMaskedDatabase(deps, 'default', {
          sourceSystem: 'shop',
          targetUrl: clean.url,
          actor: MASKING_TEST_ACTOR,
          options: OPTIONS,
        })
      ).state,
      'completed',
    );
    assert.deepEqual(
      await tableContents(crashed, 'postgres', SHOP_TABLES),
      await tableContents(clean, 'postgres', SHOP_TABLES),
    );
  });

  it('stops a cancelled run after its current batch, and a resume finishes the same copy', async () => {
    const target = await aTarget();
    const runId = await requestMaskingRun(deps, 'default', {
      sourceSystem: 'shop',
      target: { kind: 'database', url: target.url },
      actor: MASKING_TEST_ACTOR,
      options: OPTIONS,
    });
    const controller = new AbortController();
    const cancelAfterFirstTable = (async () => {
      while (!controller.signal.aborted) {
        if ((await readRunTables(deps.db, runId)).some((t) => t.state === 'done')) controller.abort();
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const stopped = await executeMaskingRun(deps, 'default', runId, { signal: controller.signal });
    await cancelAfterFirstTable;
    assert.equal(stopped.kind === 'finished' && stopped.report.state, 'cancelled');
    assert.ok(stopped.kind === 'finished' && stopped.report.tables.some((t) => t.state !== 'done'));
    await reopenMaskingRun(deps.db, 'default', runId);
    const resumed = await executeMaskingRun(deps, 'default', runId);
    assert.equal(resumed.kind === 'finished' && resumed.report.state, 'completed');
    const clean = await aTarget();
    assert.equal(
      (
        await copyMaskedDatabase(deps, 'default', {
          sourceSystem: 'shop',
          targetUrl: clean.url,
          actor: MASKING_TEST_ACTOR,
          options: OPTIONS,
        })
      ).state,
      'completed',
    );
    assert.deepEqual(
      await tableContents(target, 'postgres', SHOP_TABLES),
      await tableContents(clean, 'postgres', SHOP_TABLES),
    );
  });
});

async function anEmptyTargetOn(url: string): Promise<EmptyTarget> {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return { url, query: async (sql) => (await pool.query(sql)).rows, drop: () => pool.end() };
}
