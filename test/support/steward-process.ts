import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { STEWARD_V8_FLAGS } from '../../src/kernel/runtime/v8-flags.ts';

/** The CLI entry point, run from source exactly as `steward` runs. */
export const STEWARD_CLI = fileURLToPath(new URL('../../src/app/cli/steward.ts', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `steward` child process; tests must `stop()` it in an `after` hook. */
export interface StewardProcess {
  child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<Exit>;
  /** Resolves with stdout once it matches, rejects if the process exits first or the wait runs out. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL if it has not exited after graceMs; resolves with how it exited. */
  stop(graceMs?: number): Promise<Exit>;
}

/** The environment without the test runner's STEWARD_* settings, plus the given overrides. */
function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('STEWARD_') && name !== 'NODE_TEST_CONTEXT',
    ),
  );
  // The processes a test starts run on this host from one directory, so they may share audit keys
  // they create there (on PostgreSQL Steward otherwise refuses to start without provisioned keys).
  return { ...base, NO_COLOR: '1', STEWARD_AUDIT__CREATE_MISSING_KEYS: 'true', ...env };
}

/**
 * Starts `steward <args>` with the V8 flags its bin passes; `nodeArgs` go to node before the script
 * (e.g. `--import` of a test fixture).
 */
export function spawnSteward(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
): StewardProcess {
  const child = spawn(
    process.execPath,
    [...STEWARD_V8_FLAGS, ...(options.nodeArgs ?? []), STEWARD_CLI, ...args],
    {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  // 'close', not 'exit': by then stdout and stderr have been read to the end.
  const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }) as Exit);
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForStdout(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      while (Date.now() < deadline) {
        const match = out.match(pattern);
        if (match) return match;
        if (done)
          throw new Error(`steward ${args.join(' ')} exited before printing ${pattern}:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(
        `steward ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`,
      );
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs `steward <args>` to completion (killed after timeoutMs) and returns its exit and output. */
export async function runSteward(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Exit & { stdout: string; stderr: string }> {
  const process = spawnSteward(args, options);
  const timer = setTimeout(() => process.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    const exit = await process.exited;
    return { ...exit, stdout: process.stdout(), stderr: process.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** A temporary folder with a steward.yaml holding `config`; returns the file's path. */
export function aConfigFile(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-proc-'));
  const file = join(dir, 'steward.yaml');
  writeFileSync(file, stringify(config));
  return file;
}
