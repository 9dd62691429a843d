import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../kernel/logging/logger.ts';
import { GENERATED_SESSION_SECRET_FILE, generatedSessionSecret } from './default-session-secret.ts';

function aLoggerThatKeepsLines() {
  const lines: { level: string; msg: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: string; msg: string });
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

test('on the embedded server the session key is generated once beside the data directory (0600), kept across restarts and noted for production; a configured PostgreSQL gets none', () => {
  const folder = mkdtempSync(join(tmpdir(), 'steward-session-secret-'));
  try {
    const embedded = { embedded: { dataDir: join(folder, 'pg') } };
    const { logger, lines } = aLoggerThatKeepsLines();
    const first = generatedSessionSecret(embedded, logger);
    const file = join(folder, GENERATED_SESSION_SECRET_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').length, 32);
    assert.equal(generatedSessionSecret(embedded, logger), first, 'a restart signs with the same key');
    assert.deepEqual(
      lines.map((line) => line.level),
      ['info', 'info'],
      'a note for production, not a warning',
    );
    assert.match(lines[0]!.msg, /^note: .*in production set auth\.sessionSecretRef/);

    assert.equal(generatedSessionSecret({}, logger), undefined);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
