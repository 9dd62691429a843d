import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidInput } from '../errors/domain-error.ts';
import { z } from 'zod';
import { kernelConfigSections } from './kernel-config-schema.ts';
import { loadConfig, type ConfigDefinition } from './load-config.ts';
import { aYamlAliasBomb } from '../../../test/support/hostile-input.ts';

/** The kernel's own sections: what this loader is tested with (the app adds every module's). */
const KERNEL_CONFIG: ConfigDefinition<z.infer<ReturnType<typeof kernelSchema>>> = {
  schema: kernelSchema(),
  pathKeys: ['database.dataDir'],
};

function kernelSchema() {
  return z.object(kernelConfigSections).strict();
}

function aConfigFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-config-'));
  const file = join(dir, 'steward.yaml');
  writeFileSync(file, text);
  return file;
}

test('no file means defaults on the embedded database, paths resolved from the working directory', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'steward-cwd-'));
  const { config, file } = loadConfig(KERNEL_CONFIG, { cwd, env: {} });
  assert.equal(file, undefined);
  assert.equal(config.database.url, undefined);
  assert.equal(config.database.dataDir, join(cwd, '.steward/pg'));
  assert.equal(config.server.port, 8080);
});

test('${VAR} placeholders and STEWARD_* overrides apply, typed', () => {
  const file = aConfigFile('database:\n  url: ${DB_URL}\nserver:\n  port: ${PORT:-9000}\n');
  const { config } = loadConfig(KERNEL_CONFIG, {
    path: file,
    env: {
      DB_URL: 'postgres://x@h/db',
      STEWARD_SERVER__HOST: '0.0.0.0',
      STEWARD_DATABASE__POOL_SIZE: '3',
      STEWARD_JOBS__RUN_IN_SERVE: 'false',
    },
  });
  assert.equal(config.database.url, 'postgres://x@h/db');
  assert.equal(config.server.port, 9000);
  assert.equal(config.server.host, '0.0.0.0');
  assert.equal(config.database.poolSize, 3);
  assert.equal(config.jobs.runInServe, false);
});

test('a wrong type names the key, the problem and the file', () => {
  const file = aConfigFile('server:\n  port: eighty\n');
  assert.throws(
    () => loadConfig(KERNEL_CONFIG, { path: file, env: {} }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidInput);
      assert.equal(error.code, 'config.invalid');
      assert.match(error.message, /server\.port: .*expected number/);
      assert.ok(error.message.includes(file));
      return true;
    },
  );
});

test('an unknown key is reported with the fix', () => {
  const file = aConfigFile('databse:\n  url: postgres://x\n');
  assert.throws(
    () => loadConfig(KERNEL_CONFIG, { path: file, env: {} }),
    /unknown key "databse".*Remove it or check the spelling/s,
  );
});

test('a missing environment variable without default is an error naming it', () => {
  const file = aConfigFile('database:\n  url: ${NOPE_NOT_SET}\n');
  assert.throws(
    () => loadConfig(KERNEL_CONFIG, { path: file, env: {} }),
    /database\.url: environment variable NOPE_NOT_SET is not set/,
  );
});

test('broken YAML reports line and column', () => {
  const file = aConfigFile('server:\n  port: [1, 2\n');
  assert.throws(
    () => loadConfig(KERNEL_CONFIG, { path: file, env: {} }),
    (error: unknown) =>
      error instanceof InvalidInput && error.code === 'config.yaml_syntax' && /:\d+:\d+:/.test(error.message),
  );
});

test('a file whose aliases expand into millions of values is refused as such, not as a crash', () => {
  const file = aConfigFile(aYamlAliasBomb());
  assert.throws(
    () => loadConfig(KERNEL_CONFIG, { path: file, env: {} }),
    (error: unknown) =>
      error instanceof InvalidInput && error.code === 'config.yaml_aliases' && error.message.includes(file),
  );
});

test('an explicit path that does not exist is refused', () => {
  assert.throws(
    () => loadConfig(KERNEL_CONFIG, { path: '/nonexistent/steward.yaml', env: {} }),
    /does not exist/,
  );
});
