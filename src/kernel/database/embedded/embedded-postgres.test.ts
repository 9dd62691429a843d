import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { aConfigFile, runSteward } from '../../../../test/support/steward-process.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

const root = mkdtempSync(join(tmpdir(), 'steward-embedded-'));
after(() => rmSync(root, { recursive: true, force: true }));

function serverPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number | undefined, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('select 1 as n')).rows[0]!.n;
  } finally {
    await client.end();
  }
}

test('the first process creates and starts the server on a Unix socket only, a CLI process joins it without stopping it, and the last one out stops it', async () => {
  const dataDir = join(root, 'shared', 'pg');
  const first = await startEmbeddedPostgres({ dataDir });
  assert.equal(first.startedHere, true);
  await first.ensureDatabase('steward');
  const url = first.urlFor('steward');
  assert.equal(await selectOne(url), 1);
  assert.match(url, /host=/, 'reached through its socket directory');
  // A connection named as Steward names its own stays open, as a running `steward serve`'s would.
  const settings = new pg.Client({ connectionString: url });
  await settings.connect();
  const listen = (await settings.query<{ v: string }>("select current_setting('listen_addresses') as v"))
    .rows[0]!.v;
  assert.equal(listen, '', 'no TCP port');

  // A second Steward process (a CLI command) attaches to the running server and leaves it running.
  const configFile = aConfigFile({ database: { dataDir } });
  const migrated = await runSteward(['--config', configFile, '--json', 'migrate']);
  assert.equal(migrated.code, 0, migrated.stderr);
  const pid = serverPid(dataDir);
  assert.ok(alive(pid), 'the server is still running after the CLI process left');

  await settings.end();
  await first.release();
  await waitForExit(pid);
  assert.equal(alive(pid), false, 'the last process out stopped the server');
  assert.equal(existsSync(join(dataDir, 'postmaster.pid')), false);

  // Started again, it finds its cluster and data: Steward's schema survived.
  const again = await startEmbeddedPostgres({ dataDir });
  try {
    const client = new pg.Client({ connectionString: again.urlFor('steward') });
    await client.connect();
    const tenants = await client.query('select id from tenants');
    await client.end();
    assert.deepEqual(tenants.rows, [{ id: 'default' }]);
  } finally {
    await again.release();
  }
});

test('a server left running by a process killed with SIGKILL is joined by the next start, which then stops it', async () => {
  const dataDir = join(root, 'orphan', 'pg');
  const starter = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));
  const script = `const { startEmbeddedPostgres } = await import(${JSON.stringify(starter)});
    await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
    process.stdout.write('started\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
    child.once('exit', (code) => reject(new Error(`starter exited with ${code}`)));
  });
  child.kill('SIGKILL');
  const pid = serverPid(dataDir);
  assert.ok(alive(pid), 'the server outlives the killed process that started it');

  const next = await startEmbeddedPostgres({ dataDir });
  assert.equal(next.startedHere, false, 'joined, not started twice');
  assert.equal(await selectOne(next.urlFor('postgres')), 1);
  await next.release();
  await waitForExit(pid);
  assert.equal(alive(pid), false);
});

test('a stale postmaster.pid left by a crash does not stop the next start', async () => {
  const dataDir = join(root, 'stale', 'pg');
  const server = await startEmbeddedPostgres({ dataDir });
  const pid = serverPid(dataDir);
  process.kill(pid!, 'SIGKILL'); // a crash: the pid file stays behind
  await waitForExit(pid);
  // Backends of the killed postmaster end when they notice it is gone; the pid file is still there.
  assert.equal(existsSync(join(dataDir, 'postmaster.pid')), true);
  const restarted = await startEmbeddedPostgres({ dataDir });
  try {
    assert.equal(restarted.startedHere, true);
    assert.equal(await selectOne(restarted.urlFor('postgres')), 1);
  } finally {
    await restarted.release();
    await server.release().catch(() => {});
  }
});

test("a data directory holding someone else's files is refused, and nothing in it is touched", async () => {
  const dataDir = join(root, 'not-a-cluster');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'thesis.tex'), 'keep me');
  await assert.rejects(
    startEmbeddedPostgres({ dataDir }),
    (error) =>
      isDomainError(error) &&
      error.code === 'db.embedded_data_dir_not_empty' &&
      /empty or new folder/.test(error.message),
  );
  assert.equal(readFileSync(join(dataDir, 'thesis.tex'), 'utf8'), 'keep me');
});
