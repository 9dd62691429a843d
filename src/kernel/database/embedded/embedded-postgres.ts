import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { InvalidInput, Unavailable } from '../../errors/domain-error.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';
import { launchArgs } from './server-user.ts';

/** The superuser initdb creates; connections come only over the private Unix socket. */
export const EMBEDDED_USER = 'steward';
/** Marks Steward's own connections (application_name `steward:<pid>`), so the last process out can tell. */
export const APPLICATION_NAME_PREFIX = 'steward:';

export interface EmbeddedPostgres {
  dataDir: string;
  socketDir: string;
  /** This process started the server (others attached to one already running). */
  startedHere: boolean;
  /** A connection URL for `database` on this server, as this process's Steward connections use. */
  urlFor(database: string): string;
  /** Creates `database` unless it exists (several processes may race to do it). */
  ensureDatabase(database: string): Promise<void>;
  /**
   * Call once this process has closed its connections: stops the server when no other Steward
   * process is connected to it, otherwise leaves it running for them.
   */
  release(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Told once when a new cluster is created (initdb takes a few seconds on a busy machine). */
  onInitialise?: () => void;
}

/**
 * Settings for a small single-machine server: no TCP port, memory kept modest, durability untouched.
 * Memory (issue 10: `npm start` with the demo, every process together, under 300 MB): 16 MB of
 * shared buffers (the kernel's page cache still holds the rest of a small database), one I/O worker
 * instead of PostgreSQL 18's three, and 100 connections — a serve process holds at most its pool,
 * pg-boss's and a listener (about 16), so this leaves room for several workers and CLI commands
 * while keeping the per-connection shared structures (lock table, process slots) small.
 */
const SERVER_SETTINGS = [
  'listen_addresses=',
  'unix_socket_permissions=0700',
  'shared_buffers=16MB',
  'io_workers=1',
  'max_connections=100',
  'log_min_messages=warning',
  'log_checkpoints=off',
];

const START_LIMIT_MS = 60_000;

/**
 * Makes sure Steward's embedded PostgreSQL server runs on `dataDir` and returns how to reach it.
 * The first Steward process on the machine initialises and starts the server, detached so that it
 * outlives whichever process started it; later processes (`worker`, CLI commands) attach to it.
 * Each process calls `release()` at its end, and the last one connected stops the server. A
 * server left by a crashed process is reused; a stale `postmaster.pid` is handled by PostgreSQL
 * itself (its pid is checked), and one whose pid now belongs to an unrelated process is removed.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const binaries = await findPostgresBinaries();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    assertEmptyOrMissing(dataDir);
    options.onInitialise?.();
    await initialiseCluster(binaries.initdb, dataDir);
  }
  let socketDir = socketDirectoryFor(dataDir);
  let startedHere = false;
  let reachable = false;
  for (let attempt = 1; attempt <= 3 && !reachable; attempt++) {
    const running = runningServer(dataDir);
    if (running?.alive && running.isPostgres) {
      // Another process's server, possibly still starting or recovering after a crash: wait for it.
      socketDir = running.socketDir ?? socketDir;
      reachable = await waitUntilAnswering(socketDir, running.pid);
      continue;
    }
    if (running?.alive) rmSync(join(dataDir, 'postmaster.pid'), { force: true }); // pid reused by another program
    const outcome = await startServer(binaries.postgres, dataDir, socketDir);
    startedHere = outcome === 'started';
    reachable = startedHere;
    // 'lost-race': another process started it between our check and our start; attach to theirs.
  }
  if (!reachable)
    throw new Unavailable(
      'db.embedded_start_failed',
      `The embedded PostgreSQL server in ${dataDir} did not start; see ${serverLogFile(dataDir)}.`,
      { dataDir },
    );
  const ownName = `${APPLICATION_NAME_PREFIX}${process.pid}`;
  const urlFor = (database: string) =>
    `postgresql://${EMBEDDED_USER}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(socketDir)}&application_name=${encodeURIComponent(ownName)}`;
  return {
    dataDir,
    socketDir,
    startedHere,
    urlFor,
    ensureDatabase: (database) => ensureDatabase(urlFor('postgres'), database),
    release: () => stopUnlessShared(dataDir, urlFor('postgres'), ownName),
  };
}

/** initdb into a sibling folder renamed into place, so a crash or a racing process never leaves half a cluster. */
async function initialiseCluster(initdb: string, dataDir: string): Promise<void> {
  mkdirSync(dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const { file, args } = launchArgs(initdb, [
    `--pgdata=${staging}`,
    `--username=${EMBEDDED_USER}`,
    '--auth-local=trust',
    '--auth-host=reject',
    '--encoding=UTF8',
    '--locale=C',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--no-instructions',
  ]);
  const output = await run(file, args);
  if (output.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Unavailable(
      'db.embedded_init_failed',
      `Could not create the embedded PostgreSQL cluster in ${dataDir}: ${lastLine(output.text)}`,
      { dataDir },
    );
  }
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
    return;
  }
  rmSync(dataDir, { recursive: true, force: true }); // empty (checked before initdb)
  renameSync(staging, dataDir);
}

/** Never initialise over someone's files: only a missing or empty folder becomes a cluster. */
function assertEmptyOrMissing(dataDir: string): void {
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) return;
  throw new InvalidInput(
    'db.embedded_data_dir_not_empty',
    `database.dataDir ${dataDir} is not empty and holds no PostgreSQL cluster, so Steward will not use it. Point database.dataDir at an empty or new folder.`,
    { dataDir },
  );
}

/** The socket lives in the data directory, unless that path is too long for a Unix socket (108 bytes). */
function socketDirectoryFor(dataDir: string): string {
  if (Buffer.byteLength(join(dataDir, '.s.PGSQL.5432')) < 100) return dataDir;
  const short = join(
    tmpdir(),
    `steward-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(short, { recursive: true, mode: 0o700 });
  return short;
}

export function serverLogFile(dataDir: string): string {
  return join(dataDir, 'steward-server.log');
}

async function startServer(
  postgres: string,
  dataDir: string,
  socketDir: string,
): Promise<'started' | 'lost-race'> {
  const log = openSync(serverLogFile(dataDir), 'a');
  const { file, args } = launchArgs(postgres, [
    '-D',
    dataDir,
    '-k',
    socketDir,
    ...SERVER_SETTINGS.flatMap((s) => ['-c', s]),
  ]);
  const child = spawn(file, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    if (await answers(socketDir)) {
      child.unref();
      return exited ? 'lost-race' : 'started';
    }
    if (exited) {
      if (runningServer(dataDir)?.alive) return 'lost-race';
      throw new Unavailable(
        'db.embedded_start_failed',
        `The embedded PostgreSQL server in ${dataDir} did not start: ${lastLine(readTail(serverLogFile(dataDir)))}`,
        { dataDir, log: serverLogFile(dataDir) },
      );
    }
    await sleep(50);
  }
  child.kill('SIGQUIT');
  throw new Unavailable(
    'db.embedded_start_failed',
    `The embedded PostgreSQL server in ${dataDir} did not answer within ${START_LIMIT_MS / 1000} s; see ${serverLogFile(dataDir)}.`,
    { dataDir },
  );
}

interface RunningServer {
  pid: number;
  alive: boolean;
  /** The socket directory the server listens in (line 5 of postmaster.pid). */
  socketDir: string | undefined;
  /** The pid belongs to a PostgreSQL server (false when an unrelated process took a stale pid). */
  isPostgres: boolean;
}

/** What postmaster.pid says, or undefined when no server claims the data directory. */
function runningServer(dataDir: string): RunningServer | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const socketDir = lines[4]?.trim() || undefined;
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, alive: false, socketDir, isPostgres: false };
  const alive = isAlive(pid);
  return { pid, alive, socketDir, isPostgres: alive && looksLikePostgres(pid) };
}

function looksLikePostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): trust the pid file, as PostgreSQL does
  }
}

async function waitUntilAnswering(socketDir: string, pid: number): Promise<boolean> {
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline && isAlive(pid)) {
    if (await answers(socketDir)) return true;
    await sleep(100);
  }
  return false;
}

async function answers(socketDir: string): Promise<boolean> {
  const client = new pg.Client({
    host: socketDir,
    user: EMBEDDED_USER,
    database: 'postgres',
    connectionTimeoutMillis: 2000,
  });
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

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount) return;
    try {
      await client.query(`create database ${pg.escapeIdentifier(database)}`);
    } catch (error) {
      // 42P04 duplicate_database, 23505: another process created it at the same moment.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
}

/** Stops the server with a fast shutdown unless another Steward process still has a connection open. */
async function stopUnlessShared(dataDir: string, adminUrl: string, ownName: string): Promise<void> {
  const running = runningServer(dataDir);
  if (!running?.alive) return;
  let others: number;
  try {
    others = await withClient(adminUrl, async (client) => {
      const result = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where application_name like $1 and application_name <> $2 and pid <> pg_backend_pid()`,
        [`${APPLICATION_NAME_PREFIX}%`, ownName],
      );
      return result.rows[0]?.n ?? 0;
    });
  } catch {
    return; // not reachable: nothing of ours to stop
  }
  if (others > 0) return;
  process.kill(running.pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && isAlive(running.pid)) await sleep(50);
  if (isAlive(running.pid)) process.kill(running.pid, 'SIGQUIT');
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
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

function run(file: string, args: string[]): Promise<{ code: number; text: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', (error) => resolvePromise({ code: -1, text: error.message }));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, text }));
  });
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

/** The line that says what went wrong: the last FATAL/ERROR line, else the last line. */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /FATAL|ERROR|error/.test(l)) ?? lines.at(-1) ?? '(no output)';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}
