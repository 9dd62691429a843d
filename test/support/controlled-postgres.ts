import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinaries } from '../../src/kernel/database/embedded/postgres-binaries.ts';
import { launchArgs } from '../../src/kernel/database/embedded/server-user.ts';

/**
 * A PostgreSQL server a test owns: its own cluster in a temporary folder, on a TCP port of
 * 127.0.0.1, started and stopped by the test (fast and immediate shutdowns as `pg_ctl -m` does
 * them, by signalling the postmaster; freezing every server process with SIGSTOP).
 */
export interface ControlledPostgres {
  /** A URL for `database` on this server (user `steward`, trust authentication). */
  urlFor(database: string): string;
  readonly port: number;
  /** Starts the server (again) on the same cluster and port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m fast` (SIGINT) or `-m immediate` (SIGQUIT); resolves once the server is gone. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** SIGSTOP to the postmaster and all its processes: connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Stops the server and deletes its cluster. */
  destroy(): Promise<void>;
}

const USER = 'steward';

export async function startControlledPostgres(): Promise<ControlledPostgres> {
  const binaries = await findPostgresBinaries();
  const root = mkdtempSync(join(tmpdir(), 'steward-controlled-pg-'));
  const dataDir = join(root, 'data');
  const init = launchArgs(binaries.initdb, [
    `--pgdata=${dataDir}`,
    `--username=${USER}`,
    '--auth-local=trust',
    '--auth-host=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-instructions',
  ]);
  const initialised = spawnSync(init.file, init.args, {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  if (initialised.status !== 0) throw new Error(`initdb failed: ${initialised.stderr}${initialised.stdout}`);
  const port = await aFreePort();
  let pid: number | undefined;

  const server: ControlledPostgres = {
    port,
    urlFor: (database) => `postgres://${USER}@127.0.0.1:${port}/${database}`,
    async start() {
      const log = openSync(join(root, 'server.log'), 'a');
      const launch = launchArgs(binaries.postgres, [
        '-D',
        dataDir,
        '-k',
        dataDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `port=${port}`,
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=64MB',
        '-c',
        'fsync=on',
      ]);
      const child = spawn(launch.file, launch.args, { detached: true, stdio: ['ignore', log, log] });
      closeSync(log);
      child.unref();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (await answers(server.urlFor('postgres'))) {
          pid = postmasterPid(dataDir);
          return;
        }
        if (child.exitCode !== null) break;
        await sleep(50);
      }
      throw new Error(
        `the controlled PostgreSQL did not start: ${readFileSync(join(root, 'server.log'), 'utf8').slice(-2000)}`,
      );
    },
    async stop(mode) {
      if (!pid) return;
      const stopping = pid;
      process.kill(stopping, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      const deadline = Date.now() + 60_000;
      while (isAlive(stopping) && Date.now() < deadline) await sleep(20);
      pid = undefined;
    },
    freeze() {
      if (pid) for (const each of [pid, ...descendants(pid)]) signalIfAlive(each, 'SIGSTOP');
    },
    thaw() {
      if (pid) for (const each of [pid, ...descendants(pid)]) signalIfAlive(each, 'SIGCONT');
    },
    async destroy() {
      if (pid) {
        server.thaw();
        await server.stop('immediate');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** Creates `database` on the server (its owner is the superuser `steward`). */
export async function createDatabaseOn(server: ControlledPostgres, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: server.urlFor('postgres') });
  await client.connect();
  try {
    await client.query(`create database ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  return server.urlFor(database);
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function aFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A backend listed a moment ago may have exited since (a stopped server's children go first). */
function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
