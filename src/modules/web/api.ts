/**
 * What other code may use of the web module: where the built apps are and what they consist of
 * (the size benchmark and the screenshot script read the build through these).
 */
export { BUILD_MANIFEST, WEB_APPS, webAssetsDir } from './http/web-apps-plugin.ts';
export { webContentSecurityPolicy } from './core/content-security-policy.ts';
export type { WebConfig } from './config-schema.ts';
