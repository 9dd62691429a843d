import { redactString, redactValues } from '../../../../kernel/logging/redact-personal-data.ts';
import { redactPiiForLogs } from '../../../../platform/pii/index.ts';

/**
 * A failed step's error as it may be stored, shown and audited: a driver quotes the values it
 * refused (`invalid input syntax for type inet: "Janet Leakname"`), and rows of other people
 * (`Key (email)=(…) already exists`). The request's own identity values go by value, whatever
 * their shape; then whatever is shaped like personal data (names, emails, phone numbers, IPs).
 */
export function stepErrorText(message: string, identityValues: readonly string[]): string {
  return redactPiiForLogs(redactString(redactValues(message, identityValues))).slice(0, 1000);
}
