// The start-up spinner on a real terminal (a pty made by util-linux `script`): drawn on a normal
// one, silent on one of zero width, where it used to write cursor codes without end (216 MB seen)
// and ignore SIGTERM.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const SHOW_SPINNER = fileURLToPath(new URL('./test-support/show-spinner.ts', import.meta.url));

/** Runs the spinner in a pty of `columns` columns; a hang is killed after 20 s (SIGKILL: it ignored SIGTERM). */
function inTerminal(columns: number) {
  const command = `stty cols ${columns} rows 24; exec timeout -s KILL 20 '${process.execPath}' '${SHOW_SPINNER}'`;
  const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1', CI: '' },
  });
  return { status: result.status, signal: result.signal, output: result.stdout };
}

describe('the spinner', { skip: process.platform !== 'linux' && 'needs util-linux script' }, () => {
  it('is drawn on a terminal of 80 columns', () => {
    const run = inTerminal(80);
    assert.equal(run.status, 0);
    assert.match(run.output, /Starting Steward/);
    assert.match(run.output, /done on 80 columns/);
  });

  it('stays silent on a terminal of zero width, and the command ends', () => {
    const run = inTerminal(0);
    assert.equal(run.status, 0, 'the command ended by itself');
    assert.match(run.output, /done on 0 columns/);
    assert.doesNotMatch(run.output, /Starting Steward/);
    assert.ok(!run.output.includes(`${String.fromCharCode(27)}[1A`), 'no cursor-up codes');
    assert.ok(run.output.length < 1000, `${run.output.length} bytes written`);
  });
});
