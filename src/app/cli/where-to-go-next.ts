import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_MANIFEST, webAssetsDir } from '../../modules/web/api.ts';
import type { DemoOwnerKey } from '../../modules/demo/api.ts';
import type { StewardConfig } from '../config/config-schema.ts';

/** The addresses `steward serve` prints and, with --json, returns. */
export interface StartedAddresses {
  docs: string;
  console: string | undefined;
  privacyCenter: string | undefined;
}

/** The console and the privacy center are served only when enabled and built (`npm run build`). */
export function startedAddresses(config: StewardConfig, address: string): StartedAddresses {
  const webServed = config.web.enabled && existsSync(join(webAssetsDir(config.web), BUILD_MANIFEST));
  return {
    docs: `${address}/docs`,
    console: webServed ? `${address}/console` : undefined,
    privacyCenter: webServed ? `${address}/privacy` : undefined,
  };
}

/**
 * What a newcomer does next, after `npm start`'s first line: the console and the privacy center, the
 * demo's owner key and a first request with it, where the demo's mail goes, and that the CLI works
 * alongside. Paths inside the working directory are shown relative to it, as a person types them.
 */
export function whereToGoNext(
  config: StewardConfig,
  addresses: StartedAddresses,
  demoKey: DemoOwnerKey | undefined,
  cwd = process.cwd(),
): string[] {
  const shown = (path: string) => (path.startsWith(`${cwd}/`) ? relative(cwd, path) : path);
  const rows: [string, string][] = [];
  if (addresses.console)
    rows.push(['Console', `${addresses.console}${demoKey ? '   (sign in with the demo owner key)' : ''}`]);
  if (addresses.privacyCenter) rows.push(['Privacy center', addresses.privacyCenter]);
  if (demoKey) {
    const file = shown(demoKey.file);
    const api = addresses.docs.replace(/\/docs$/, '');
    rows.push(['Demo owner key', `${demoKey.token}   (${demoKey.issuedNow ? 'new, ' : ''}kept in ${file})`]);
    rows.push(['First request', `curl -H "Authorization: Bearer $(cat ${file})" ${api}/v1/datamap`]);
  }
  if (config.dsr.outbox === true)
    rows.push([
      'Demo mail',
      'npx steward demo mail   (one-time codes and notices, kept here instead of sent)',
    ]);
  rows.push(['The CLI', 'npx steward --help   (works while this runs; Ctrl-C stops Steward)']);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}   ${value}`);
}
