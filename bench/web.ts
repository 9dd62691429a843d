// The web apps (issue 15): the JavaScript each app loads before its first page (entry chunk and
// every chunk it imports statically, from vite's manifest; lazily loaded pages excluded), gzip, and
// the time until the console's dashboard shows the demo's figures in headless Chromium (median of
// 5 cold loads, measured from navigation start as Navigation Timing counts it). The baseline, built
// and measured in the same run: a bare React page (react + react-dom, one element) built by the same
// vite and served by a plain Node HTTP server. Goals: ≤ 250 kB initial JS per app; the dashboard
// interactive within 1.5 s.
// Run alone: node bench/web.ts   (needs `npm run build:web` and /usr/bin/chromium).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { launchBrowser } from '../test/browser/support/browser.ts';
import { ensureWebBuilt, WEB_DIST } from '../test/browser/support/web-build.ts';
import { startWebTestStack } from '../test/browser/support/web-test-stack.ts';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';

const LOADS = 5;
const KB = 1024;

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** Bytes (gzip) of an entry's JavaScript and everything it imports statically: what loads before the first render. */
function initialJsGzip(outDir: string, entry: string): number {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  if (!manifest[entry]) throw new Error(`no ${entry} in ${outDir}'s manifest`);
  visit(entry);
  return [...seen]
    .map((key) => manifest[key]!.file)
    .filter((file) => file.endsWith('.js'))
    .reduce((total, file) => total + gzipSync(readFileSync(join(outDir, file))).length, 0);
}

/** A page with React and nothing else, built by the same vite: the floor any React app starts from. */
async function buildBareReact(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'steward-bench-react-'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html lang="en"><title>bare</title><div id="root"></div><script type="module" src="./main.js"></script></html>',
  );
  writeFileSync(
    join(root, 'main.js'),
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('h1', null, 'Dashboard'));\n",
  );
  await build({
    root,
    logLevel: 'silent',
    resolve: {
      alias: {
        react: join(import.meta.dirname, '..', 'node_modules', 'react'),
        'react-dom': join(import.meta.dirname, '..', 'node_modules', 'react-dom'),
      },
    },
    build: { outDir: join(root, 'dist'), manifest: true, modulePreload: { polyfill: false } },
  });
  return join(root, 'dist');
}

function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer((request, response) => {
    const path = request.url === '/' ? '/index.html' : (request.url ?? '/');
    try {
      const body = readFileSync(join(dir, path));
      response
        .writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

/**
 * Median over cold loads (a fresh profile each, no cache) of the time from navigation start until
 * `ready` finds the page showing its content.
 */
async function medianLoadMs(url: string, ready: string, prepare?: string): Promise<number> {
  const times: number[] = [];
  for (let load = 0; load < LOADS; load++) {
    const browser = await launchBrowser();
    try {
      const { page } = await browser.newPage();
      if (prepare) await page.addInitScript(prepare);
      await page.goto(url);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      times.push(await page.evaluate(() => performance.now()));
    } finally {
      await browser.close();
    }
  }
  return median(times);
}

export const webBenchmark: Benchmark = {
  name: 'web apps (initial JS, dashboard interactive)',
  async run(): Promise<BenchmarkRow[]> {
    await ensureWebBuilt();
    const bareDir = await buildBareReact();
    const bareJs = initialJsGzip(bareDir, 'index.html');
    const rows: BenchmarkRow[] = ['console', 'privacy'].map((app) => {
      const bytes = initialJsGzip(WEB_DIST, `${app}/index.html`);
      return {
        name: `/${app} initial JS, gzip`,
        unit: 'kB',
        value: bytes / KB,
        baseline: bareJs / KB,
        baselineName: 'bare React page',
        goal: { text: '≤ 250 kB', met: bytes <= 250 * KB },
      };
    });
    const stack = await startWebTestStack();
    const bare = await serveStatic(bareDir);
    try {
      // Signed in with the demo's owner key, as the console's local sign-in stores it.
      const signIn = `sessionStorage.setItem('steward.apiKey', ${JSON.stringify(stack.ownerKey)});`;
      // The dashboard is interactive when its figures are in: the first tile's number is rendered.
      const dashboardMs = await medianLoadMs(`${stack.baseUrl}/console`, '.tile-number', signIn);
      const baseline = await medianLoadMs(bare.url, 'h1');
      rows.push({
        name: `console dashboard interactive, median of ${LOADS}`,
        unit: 'ms',
        value: dashboardMs,
        baseline,
        baselineName: 'bare React page',
        goal: { text: '≤ 1500 ms', met: dashboardMs <= 1500 },
      });
    } finally {
      await bare.close();
      await stack.stop();
      rmSync(join(bareDir, '..'), { recursive: true, force: true });
    }
    return rows;
  },
};

if (import.meta.main) {
  for (const row of await webBenchmark.run()) {
    console.log(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.baseline.toFixed(1)} ${row.unit} (${row.baselineName}), ${(row.value / row.baseline).toFixed(2)}×; goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
  }
}
