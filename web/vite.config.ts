import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const outDir = join(root, '..', 'dist', 'web');

/**
 * Writes .br and .gz next to every script and style sheet of the build, so Steward's static
 * handler (preCompressed) sends compressed assets without compressing per request.
 */
function precompressAssets(): Plugin {
  return {
    name: 'steward-precompress',
    apply: 'build',
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = join(assets, name);
        const content = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

/**
 * The admin console (/console) and the privacy center (/privacy) as one multi-page build into
 * dist/web, which Steward serves. Nothing is inlined into the pages (the content security policy
 * allows scripts and styles from files only), and the manifest lets the server and the size
 * benchmark find each app's entry and the chunks it loads first.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), precompressAssets()],
  resolve: { alias: { '@steward/sdk': join(root, '..', 'packages', 'sdk', 'src', 'index.ts') } },
  build: {
    outDir,
    emptyOutDir: true,
    manifest: true,
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        console: join(root, 'console', 'index.html'),
        privacy: join(root, 'privacy', 'index.html'),
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` against a Steward on STEWARD_URL (default localhost:8080).
    proxy: { '/v1': process.env.STEWARD_URL ?? 'http://127.0.0.1:8080' },
  },
});
