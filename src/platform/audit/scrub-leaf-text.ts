import { REDACTED, redactString } from '../../kernel/logging/redact-personal-data.ts';
import { redactPii } from '../pii/redact-pii.ts';
import type { AuditEventInput } from './audit-event.ts';

/** What stands in a leaf where the subject's own value was written: the leaf's `subject` names them. */
export const SUBJECT_PLACEHOLDER = '[subject]';

/**
 * The event's free text as it may go into a leaf, which can never be erased (GDPR Art. 17 against
 * Art. 5(2)): the subject's value (under whatever identity name it came) is replaced wherever it
 * appears in the reason or the details, and the reason, which people and drivers write, is also
 * cleared of anything shaped like personal data (names, emails, phone numbers, addresses).
 */
export function scrubLeafText(event: AuditEventInput): Pick<AuditEventInput, 'reason' | 'details'> {
  const values = subjectValues(event.subjectRef);
  // Built at most once per event, and only when some text could hold the value: a Unicode-aware
  // pattern costs more to build and to run than the strings it scans (three events per request
  // intake, whose details never hold the value). The test folds case more widely than the pattern,
  // so it never skips a match.
  const patterns = values.map((value) => {
    let pattern: RegExp | undefined;
    return { folded: foldCase(value), pattern: () => (pattern ??= wholeOccurrences(value)) };
  });
  const withoutSubject = (text: string) => {
    if (OWN_IDENTIFIER.test(text)) return text;
    const folded = foldCase(text);
    return patterns.reduce(
      (t, { folded: value, pattern }) =>
        folded.includes(value) ? t.replace(pattern(), SUBJECT_PLACEHOLDER) : t,
      text,
    );
  };
  return {
    ...(event.reason !== undefined ? { reason: redactFreeText(withoutSubject(event.reason)) } : {}),
    ...(event.details !== undefined && values.length === 0 ? { details: event.details } : {}),
    ...(event.details !== undefined && values.length > 0
      ? { details: mapStrings(event.details, withoutSubject) as Record<string, unknown> }
      : {}),
  };
}

function redactFreeText(text: string): string {
  return redactPii(redactString(text), (finding) =>
    finding.type === 'url' ? text.slice(finding.start, finding.end) : REDACTED,
  );
}

/** `email:ann@example.com` names the value `ann@example.com`; a bare reference is the value itself. */
function subjectValues(subjectRef: string | undefined): string[] {
  if (!subjectRef) return [];
  const colon = subjectRef.indexOf(':');
  const value =
    colon > 0 && /^[a-z][a-z0-9_]*$/.test(subjectRef.slice(0, colon))
      ? subjectRef.slice(colon + 1)
      : subjectRef;
  // A value of one or two characters would blank out ordinary words; it is no identifier either.
  return [...new Set([subjectRef, value])].filter((v) => v.trim().length >= 3);
}

/** Case folded widely: ς and σ, ſ and s, ß and ẞ and ss come out alike. */
function foldCase(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase();
}

/**
 * Whole occurrences only (not inside a longer word or number), and never inside Steward's own
 * identifiers and digests (UUIDs, hex hashes), which a short value could otherwise cut into.
 */
function wholeOccurrences(value: string): RegExp {
  const escaped = value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
}

const OWN_IDENTIFIER =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}|[A-Za-z0-9_-]{43})$/i;

/** Every string inside `value` mapped, except under `anchor` (a record's id and hash, see row-anchor.ts). */
function mapStrings(value: unknown, map: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return map(value);
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === 'anchor' ? item : mapStrings(item, map, depth + 1),
    ]),
  );
}
