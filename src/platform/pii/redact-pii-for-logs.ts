import type { PiiType } from './pii-types.ts';
import { redactPii } from './redact-pii.ts';

/** What a log line may say although it looks like personal data: addresses of services, not people. */
const KEPT_IN_LOGS: ReadonlySet<PiiType> = new Set<PiiType>([
  'url',
  'ip_address',
  'mac_address',
  'postal_code',
]);

/**
 * The free-text pass of Steward's log redaction (installed into the kernel's logger by the app):
 * names, postal addresses, national ids, dates of birth and the rest the shape-based redactor
 * cannot see become `[redacted]`. URLs and service addresses stay, so stack traces and connection
 * errors stay readable; IP addresses of people are the shape-based redactor's job.
 */
export function redactPiiForLogs(text: string): string {
  return redactPii(text, (finding, original) => (KEPT_IN_LOGS.has(finding.type) ? original : '[redacted]'));
}
