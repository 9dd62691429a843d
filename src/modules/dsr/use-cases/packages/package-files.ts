import { join } from 'node:path';

/** Where a request's files live under `dsr.dataDir`, and the context their encryption is bound to. */
export function packageFile(tenantId: string, requestId: string): string {
  return join('packages', tenantId, `${requestId}.zip.enc`);
}

export function stagingDirectory(tenantId: string, requestId: string): string {
  return join('staging', tenantId, requestId);
}

export function packageContext(tenantId: string, requestId: string): string {
  return `dsr-package:${tenantId}:${requestId}`;
}

export function stagingContext(
  tenantId: string,
  requestId: string,
  system: string,
  collection: string,
): string {
  return `dsr-staging:${tenantId}:${requestId}:${system}:${collection}`;
}
