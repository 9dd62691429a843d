// Log lines a person reads at a terminal, JSON for everything else; redacted either way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const LOG_THREE_LINES = fileURLToPath(new URL('./test-support/log-three-lines.ts', import.meta.url));
const childEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

describe('the logger', () => {
  it('writes JSON lines into a pipe', () => {
    const result = spawnSync(process.execPath, [LOG_THREE_LINES], { encoding: 'utf8', env: childEnv });
    assert.equal(result.status, 0, result.stderr);
    const entries = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      entries.map((entry) => [entry.level, entry.msg]),
      [
        ['info', 'secrets are sealed with a generated key'],
        ['warn', 'the demo is on'],
        ['error', 'notice not sent'],
      ],
    );
    assert.equal(entries[0]!.email, '[redacted]');
  });

  it('writes one readable line per entry at a terminal', { skip: process.platform !== 'linux' }, () => {
    const result = spawnSync(
      'script',
      ['-q', '-e', '-c', `'${process.execPath}' '${LOG_THREE_LINES}'`, '/dev/null'],
      {
        encoding: 'utf8',
        env: childEnv,
        timeout: 60_000,
      },
    );
    assert.equal(result.status, 0);
    const lines = result.stdout.replace(/\r/g, '').trim().split('\n');
    assert.equal(lines.length, 3, result.stdout);
    assert.match(
      lines[0]!,
      /^\[\d\d:\d\d:\d\d\] INFO: secrets are sealed with a generated key \{.*"email":"\[redacted\]"/,
    );
    assert.doesNotMatch(lines[0]!, /ann@example\.com/);
    assert.match(lines[1]!, /^\[\d\d:\d\d:\d\d\] WARN: the demo is on$/);
    assert.match(lines[2]!, /^\[\d\d:\d\d:\d\d\] ERROR: notice not sent \{"attempt":2\}$/);
    assert.doesNotMatch(result.stdout, /"level"|"service"|"pid"/);
  });
});
