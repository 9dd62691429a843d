import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Database } from '../../src/app/database.ts';
import { openDatabase } from '../../src/kernel/database/open-database.ts';
import { issueRoleApiKey } from '../../src/platform/auth/role-api-key.ts';
import {
  createDatabaseOn,
  startControlledPostgres,
  type ControlledPostgres,
} from '../support/controlled-postgres.ts';
import { aConfigFile, spawnSteward, type StewardProcess } from '../support/steward-process.ts';

/** What the load driver saw for one call. */
interface Outcome {
  kind: 'consent' | 'intake';
  status: number;
  retryAfter: string | null;
  /** For an acknowledged write: what to re-read (the consent subject, or the request id). */
  key?: string;
}

/** One /readyz probe: its status (0 when no answer came within the probe's own limit) and how long it took. */
interface Probe {
  at: number;
  status: number;
  ms: number;
}

const PROBE_LIMIT_MS = 4_000;

describe('Steward survives its PostgreSQL server stopping (fast and immediate), freezing and coming back', () => {
  let postgres: ControlledPostgres;
  let url: string;
  let serve: StewardProcess;
  let worker: StewardProcess;
  let address: string;
  let token: string;
  const outcomes: Outcome[] = [];
  const probes: Probe[] = [];
  let loadRunning = true;
  let loadLoops: Promise<void>[] = [];
  let probeLoop: Promise<void> | undefined;
  let sequence = 0;

  before(async () => {
    postgres = await startControlledPostgres();
    url = await createDatabaseOn(postgres, 'steward');
    const configFile = aConfigFile({
      database: { url, poolSize: 6, connectAttempts: 30 },
      jobs: { runInServe: false, concurrency: 2, pollIntervalSeconds: 0.5 },
      // The load is a tight loop; the rate limit is not what this test is about.
      server: { port: 0, rateLimit: { max: 10_000_000 } },
      logging: { level: 'warn' },
    });
    serve = spawnSteward(['--config', configFile, '--json', 'serve']);
    address = (await serve.waitForStdout(/"address": "(http:\/\/[^"]+)"/))[1]!;
    worker = spawnSteward(['--config', configFile, '--json', 'worker']);
    await worker.waitForStdout(/"role": "worker"/);
    const database = await openDatabase<Database>({
      url,
      dataDir: 'unused',
      poolSize: 1,
      connectAttempts: 1,
      statementTimeoutMs: 0,
    });
    try {
      ({ token } = await issueRoleApiKey(database.db, {
        role: 'owner',
        tenantId: 'default',
        name: 'restart test',
        actor: { kind: 'system', id: 'test' },
      }));
    } finally {
      await database.close();
    }
    const notice = await call('/v1/consent/notices', {
      key: 'newsletter',
      purpose: 'marketing.communications.email',
      title: 'Our newsletter',
      text: 'We send you our newsletter by email about once a week.',
      legalBasis: 'consent',
      mechanism: 'opt_in',
      regions: ['EU'],
    });
    assert.equal(notice?.status, 201, await notice?.text());
    loadLoops = [consentLoad(), consentLoad(), intakeLoad()];
    probeLoop = probeReadiness();
  });

  after(async () => {
    loadRunning = false;
    await Promise.all([...loadLoops, probeLoop]);
    await Promise.all([serve?.stop(), worker?.stop()]);
    await postgres?.destroy();
  });

  async function call(path: string, body: object): Promise<Response | undefined> {
    try {
      return await fetch(`${address}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      return undefined;
    }
  }

  async function consentLoad(): Promise<void> {
    while (loadRunning) {
      const subject = `restart-subject-${++sequence}`;
      const response = await call('/v1/consent/records', {
        subject,
        changes: [{ purpose: 'marketing.communications.email', action: 'given' }],
      });
      outcomes.push({
        kind: 'consent',
        status: response?.status ?? 0,
        retryAfter: response?.headers.get('retry-after') ?? null,
        ...(response?.status === 201 ? { key: subject } : {}),
      });
      await response?.arrayBuffer();
      if (response?.status !== 201) await sleep(50);
    }
  }

  async function intakeLoad(): Promise<void> {
    while (loadRunning) {
      const response = await call('/v1/requests', {
        type: 'access',
        identities: { email: `restart-${++sequence}@example.com` },
        identityVerified: true,
      });
      const body = (await response?.json().catch(() => undefined)) as { id?: string } | undefined;
      outcomes.push({
        kind: 'intake',
        status: response?.status ?? 0,
        retryAfter: response?.headers.get('retry-after') ?? null,
        ...(response?.status === 201 ? { key: body?.id } : {}),
      });
      if (response?.status !== 201) await sleep(50);
    }
  }

  async function probeReadiness(): Promise<void> {
    while (loadRunning) {
      const started = Date.now();
      let status = 0;
      try {
        const response = await fetch(`${address}/readyz`, { signal: AbortSignal.timeout(PROBE_LIMIT_MS) });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        // No answer within the probe's limit: recorded as status 0.
      }
      probes.push({ at: started, status, ms: Date.now() - started });
      await sleep(200);
    }
  }

  function assertAlive(): void {
    assert.equal(serve.child.exitCode, null, `serve exited:\n${serve.stderr()}`);
    assert.equal(worker.child.exitCode, null, `worker exited:\n${worker.stderr()}`);
  }

  /** Waits until /readyz says ready and a consent write is acknowledged again; returns how long it took. */
  async function waitForService(since: number): Promise<number> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const ready = probes.some((p) => p.at >= since && p.status === 200);
      const written = outcomes.slice(-20).some((o) => o.status === 201);
      if (ready && written) return Date.now() - since;
      await sleep(100);
    }
    throw new Error('Steward did not come back within 60 s of its database');
  }

  async function outage(mode: 'fast' | 'immediate'): Promise<number> {
    await sleep(1_500); // under load
    const acknowledgedBefore = outcomes.filter((o) => o.status === 201).length;
    assert.ok(acknowledgedBefore > 0, 'the load was running before the outage');
    await postgres.stop(mode);
    const down = Date.now();
    await sleep(3_000);
    assertAlive();
    const duringOutage = probes.filter((p) => p.at > down + 500);
    assert.ok(duringOutage.length > 0);
    for (const probe of duringOutage)
      assert.equal(probe.status, 503, '/readyz is not ready while the database is down');
    await postgres.start();
    const back = Date.now();
    const tookMs = await waitForService(back);
    assert.ok(tookMs < 15_000, `service back ${tookMs} ms after the database`);
    assertAlive();
    return tookMs;
  }

  test('a fast shutdown (pg_ctl -m fast) under load: both processes stay up, refuse with 503 + Retry-After meanwhile, and are back within seconds', async (t) => {
    t.diagnostic(`ready and writing again ${await outage('fast')} ms after the database was back`);
  });

  test('an immediate shutdown (pg_ctl -m immediate, a crash) under load: the same', async (t) => {
    t.diagnostic(`ready and writing again ${await outage('immediate')} ms after the database was back`);
  });

  test('a frozen database: /readyz answers not ready within its limit instead of hanging, and service resumes when it thaws', async () => {
    await sleep(1_000);
    postgres.freeze();
    const frozen = Date.now();
    await sleep(10_000);
    const duringFreeze = probes.filter((p) => p.at > frozen && p.at < frozen + 10_000 - PROBE_LIMIT_MS);
    postgres.thaw();
    assert.ok(duringFreeze.length > 0);
    for (const probe of duringFreeze) {
      assert.equal(probe.status, 503, 'not ready while frozen');
      assert.ok(probe.ms < 3_000, `readyz answered in ${probe.ms} ms`);
    }
    await waitForService(Date.now());
    assertAlive();
  });

  test('no acknowledged write was lost, every refusal was a 503 with Retry-After, and the worker still runs requests', async () => {
    loadRunning = false;
    await Promise.all(loadLoops);
    const refused = outcomes.filter((o) => o.status !== 201);
    assert.ok(refused.length > 0, 'the load met the outages');
    const unexpected = refused.filter((o) => o.status !== 503 || !o.retryAfter);
    assert.deepEqual(
      unexpected.map((o) => `${o.kind} ${o.status} retry-after=${o.retryAfter}`).slice(0, 10),
      [],
      'every refusal is a 503 with Retry-After',
    );
    const consents = outcomes.filter((o) => o.kind === 'consent' && o.status === 201).map((o) => o.key!);
    const requests = outcomes.filter((o) => o.kind === 'intake' && o.status === 201).map((o) => o.key!);
    assert.ok(
      consents.length > 10 && requests.length > 5,
      `${consents.length} consents, ${requests.length} requests acknowledged`,
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const storedSubjects = await client.query<{ subject: string }>(
        'select distinct subject from consent_ledger where subject = any($1)',
        [consents],
      );
      assert.equal(
        storedSubjects.rowCount,
        consents.length,
        'every acknowledged consent write is in the ledger',
      );
      const storedRequests = await client.query<{ id: string }>(
        'select id from dsr_requests where id = any($1)',
        [requests],
      );
      assert.equal(storedRequests.rowCount, requests.length, 'every acknowledged request is stored');
      // The worker kept working across the restarts: the last requests acknowledged left `received`.
      const last = requests.slice(-3);
      const deadline = Date.now() + 60_000;
      let states: string[] = [];
      while (Date.now() < deadline) {
        states = (
          await client.query<{ state: string }>('select state from dsr_requests where id = any($1)', [last])
        ).rows.map((r) => r.state);
        if (states.every((s) => !['received', 'verified'].includes(s))) break;
        await sleep(250);
      }
      assert.ok(
        states.every((s) => !['received', 'verified'].includes(s)),
        `requests after the restarts were executed: ${states.join(', ')}`,
      );
    } finally {
      await client.end();
    }
    assertAlive();
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
