import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built CLI, as installed users run it (`npm run bench` builds first). */
export const STEWARD_JS = join(ROOT, 'dist', 'app', 'cli', 'steward.js');

/**
 * The baseline server: bare Fastify, no plugins, no logger, answering the same health routes,
 * started the same way (a fresh `node` process).
 */
const BARE_FASTIFY = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/readyz', async () => ({ status: 'ready' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
`;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, so the poller knows where to look from the first millisecond. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export function assertBuilt(): void {
  if (!existsSync(STEWARD_JS))
    throw new Error(`${STEWARD_JS} is missing: run \`npm run bench\`, which builds first.`);
}

/**
 * The environment a Steward child process gets: this one's without STEWARD_* settings (benchmark
 * modules imported beside each other set some of their own, which the child would read as config
 * overrides), plus `extra`.
 */
export function stewardEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('STEWARD_')),
  );
  return { ...base, ...extra };
}

/** `steward serve` from dist/ in `folder` (a steward.yaml is written there), on the embedded database. */
export function spawnSteward(folder: string, port: number): ChildProcess {
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'steward.yaml'),
    `database:\n  dataDir: ./db\nserver:\n  host: 127.0.0.1\n  port: ${port}\nlogging:\n  level: warn\n`,
  );
  return spawn(process.execPath, [STEWARD_JS, 'serve'], { cwd: folder, stdio: 'ignore', env: stewardEnv() });
}

export function spawnBareFastify(port: number): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', BARE_FASTIFY, String(port)], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

/** Polls `url` every 10 ms until it answers 200; gives up after `limitMs`. */
export async function waitUntilAnswering(url: string, child: ChildProcess, limitMs = 60_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with code ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} did not answer within ${limitMs} ms`);
}

/** Peak resident set size of a running process, in bytes (Linux: VmHWM in /proc/<pid>/status). */
export function peakRssBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) * 1024;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
