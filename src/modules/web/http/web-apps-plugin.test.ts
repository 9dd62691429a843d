import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliCompressSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLogger } from '../../../kernel/logging/logger.ts';
import { webConfigSchema } from '../config-schema.ts';
import { registerWebApps } from './web-apps-plugin.ts';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

/** A build output as vite writes it: the manifest, each app's page and a hashed script with its .br. */
function aBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-web-build-'));
  mkdirSync(join(dir, '.vite'), { recursive: true });
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  for (const app of ['console', 'privacy']) {
    mkdirSync(join(dir, app));
    writeFileSync(
      join(dir, app, 'index.html'),
      `<!doctype html><title>${app}</title><script type="module" src="/assets/${app}-abc123.js"></script>`,
    );
  }
  mkdirSync(join(dir, 'assets'));
  const script = 'export const answer = 42;\n'.repeat(50);
  writeFileSync(join(dir, 'assets', 'console-abc123.js'), script);
  writeFileSync(join(dir, 'assets', 'console-abc123.js.br'), brotliCompressSync(script));
  return dir;
}

async function appServing(assetsDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  await registerWebApps(app, { config: webConfigSchema.parse({ assetsDir }), logger: silent });
  await app.ready();
  return app;
}

describe('serving the built web apps', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = aBuild();
    app = await appServing(dir);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("each app's page is never cached and carries the strict policy, at its root and at any path below it", async () => {
    for (const url of ['/console', '/console/requests/0b0e', '/privacy', '/privacy/consent?tenant=acme']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, new RegExp(`<title>${url.split('/')[1]}</title>`), url);
      assert.equal(response.headers['cache-control'], 'no-cache', url);
      assert.match(
        String(response.headers['content-security-policy']),
        /script-src 'self'; style-src 'self'/,
        url,
      );
    }
  });

  test('hashed assets are cached for a year as immutable, and sent pre-compressed when the browser takes it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/console-abc123.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    const compressed = await app.inject({
      method: 'GET',
      url: '/assets/console-abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    assert.equal(compressed.headers['content-encoding'], 'br');
    assert.ok(Number(compressed.headers['content-length']) < Number(plain.headers['content-length']));
    const missing = await app.inject({ method: 'GET', url: '/assets/nope-000.js' });
    assert.equal(missing.statusCode, 404);
  });

  test('without a build the apps answer 503 with what to run, instead of a blank page', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'steward-web-empty-'));
    const unbuilt = await appServing(empty);
    try {
      const response = await unbuilt.inject({ method: 'GET', url: '/console' });
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /npm run build/);
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
