import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from '../../../kernel/logging/logger.ts';
import type { WebConfig } from '../config-schema.ts';
import { webContentSecurityPolicy } from '../core/content-security-policy.ts';
import { logoOrigins } from '../core/privacy-center-config.ts';

/** The two single-page apps: where they are served and the folder of their index.html in the build. */
export const WEB_APPS = [
  { path: '/console', folder: 'console' },
  { path: '/privacy', folder: 'privacy' },
] as const;

/** Written by `vite build` (build.manifest); its presence tells a build output from the source folder. */
export const BUILD_MANIFEST = join('.vite', 'manifest.json');

/**
 * Where the built apps are: `web.assetsDir`, or dist/web of this installation, found from this
 * file whether it runs from src/ (development) or dist/ (npm start, the Docker image).
 */
export function webAssetsDir(config: WebConfig): string {
  if (config.assetsDir) return resolve(config.assetsDir);
  const candidates = ['../../../web', '../../../../dist/web'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(join(dir, BUILD_MANIFEST))) ?? candidates[1]!;
}

const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * Serves the admin console at /console and the privacy center at /privacy from the vite build:
 * hashed assets under /assets cached for a year (their names change with their content), the
 * apps' index.html never cached (so a deployment takes effect at the next load), every path
 * below an app answered with its index.html (the app routes in the browser), and the pages under
 * a strict content security policy. Registered before the auth plugin, like /docs: the pages are
 * public; the API calls they make are authenticated as any other.
 */
export async function registerWebApps(
  app: FastifyInstance,
  options: { config: WebConfig; logger: Logger },
): Promise<void> {
  const { config, logger } = options;
  if (!config.enabled) return;
  const dir = webAssetsDir(config);
  const built = existsSync(join(dir, BUILD_MANIFEST));
  if (!built)
    logger.warn({ dir }, 'the web apps are not built (run npm run build); /console and /privacy answer 503');
  const policy = webContentSecurityPolicy(logoOrigins(config.privacyCenters));

  await app.register(async (scope) => {
    if (built) {
      await scope.register(fastifyStatic, {
        root: join(dir, 'assets'),
        prefix: '/assets/',
        decorateReply: false,
        index: false,
        list: false,
        // vite build writes .br and .gz next to each script and style sheet.
        preCompressed: true,
        cacheControl: false,
        setHeaders: (reply) => {
          reply.header('cache-control', HASHED_ASSET_CACHE);
        },
      });
    }
    for (const webApp of WEB_APPS) {
      const page = built ? readFileSync(join(dir, webApp.folder, 'index.html'), 'utf8') : undefined;
      const send = (reply: FastifyReply) => {
        if (!page) return sendNotBuilt(reply);
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', policy)
          .send(page);
      };
      scope.get(webApp.path, { schema: { hide: true } }, (_request, reply) => send(reply));
      scope.get(`${webApp.path}/*`, { schema: { hide: true } }, (_request, reply) => send(reply));
    }
  });
}

function sendNotBuilt(reply: FastifyReply) {
  return reply
    .status(503)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send('The web apps are not built. Run `npm run build` and restart Steward.\n');
}
