/**
 * What other code may use of the web module: where the built apps are and what they consist of
 * (the size benchmark and the screenshot script read the build through these).
 */
export { BUILD_MANIFEST, WEB_APPS, webAssetsDir } from './http/web-apps-plugin.ts';
export { webContentSecurityPolicy } from './core/content-security-policy.ts';
export type { WebConfig } from './config-schema.ts';
export type { SubjectRequestsPort } from './ports/subject-requests-port.ts';
export type { RequesterMailPort } from './ports/requester-mail-port.ts';
export type { ConsentLedgerPort } from './ports/consent-ledger-port.ts';
export type { RetentionRunsPort } from './ports/retention-runs-port.ts';
